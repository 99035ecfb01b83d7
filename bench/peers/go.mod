module github.com/zring/zring/bench/peers

go 1.26.0

require github.com/pebbe/zmq4 v1.4.0
