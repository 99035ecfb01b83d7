package majordomo

import (
	"slices"
	"time"
)

// service is one named service: the requests waiting for a worker and the
// workers waiting for a request, both oldest first.
type service struct {
	name     string
	requests []queued
	waiting  []*brokerWorker
	workers  int // workers registered for it, waiting or busy
}

// queued is a request waiting for a worker: msg is [client address, "",
// body...], client the version the client speaks.
type queued struct {
	msg    [][]byte
	client Version
}

// brokerWorker is the broker's view of one worker connection.
type brokerWorker struct {
	identity string // the ROUTER's routing id
	version  Version
	client   Version // the version of the client of the request it holds
	service  *service
	expiry   time.Time
	waiting  bool
}

// registry holds the broker's services and workers.
type registry struct {
	services map[string]*service
	workers  map[string]*brokerWorker
	waiting  []*brokerWorker // every waiting worker, oldest first
	queued   int
}

func newRegistry() *registry {
	return &registry{services: map[string]*service{}, workers: map[string]*brokerWorker{}}
}

func (r *registry) service(name string) *service {
	s := r.services[name]
	if s == nil {
		s = &service{name: name}
		r.services[name] = s
	}
	return s
}

// setWaiting puts w at the back of both waiting lists.
func (r *registry) setWaiting(w *brokerWorker, expiry time.Time) {
	w.expiry = expiry
	if w.waiting {
		return
	}
	w.waiting = true
	r.waiting = append(r.waiting, w)
	w.service.waiting = append(w.service.waiting, w)
}

// unwait takes w off both waiting lists.
func (r *registry) unwait(w *brokerWorker) {
	if !w.waiting {
		return
	}
	w.waiting = false
	r.waiting = remove(r.waiting, w)
	w.service.waiting = remove(w.service.waiting, w)
}

// delete forgets w.
func (r *registry) delete(w *brokerWorker) {
	r.unwait(w)
	if _, ok := r.workers[w.identity]; ok {
		w.service.workers--
		delete(r.workers, w.identity)
	}
}

// expired removes and returns the waiting workers whose expiry passed.
func (r *registry) expired(now time.Time) []*brokerWorker {
	var gone []*brokerWorker
	kept := r.waiting[:0]
	for _, w := range r.waiting {
		if !now.After(w.expiry) {
			kept = append(kept, w)
			continue
		}
		w.waiting = false
		w.service.waiting = remove(w.service.waiting, w)
		w.service.workers--
		delete(r.workers, w.identity)
		gone = append(gone, w)
	}
	clear(r.waiting[len(kept):])
	r.waiting = kept
	return gone
}

func remove(ws []*brokerWorker, w *brokerWorker) []*brokerWorker {
	if i := slices.Index(ws, w); i >= 0 {
		ws = slices.Delete(ws, i, i+1)
	}
	return ws
}
