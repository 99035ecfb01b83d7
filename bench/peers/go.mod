module github.com/zring/zring/bench/peers

go 1.26.0
