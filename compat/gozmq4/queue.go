//go:build linux

package zmq4

// Queue is a FIFO of messages, as upstream's (a utility that needs no
// socket). It is not safe for concurrent use.
type Queue struct {
	msgs []Msg
	head int
}

// NewQueue returns an empty queue.
func NewQueue() *Queue { return &Queue{} }

// Len returns the number of messages in the queue.
func (q *Queue) Len() int { return len(q.msgs) - q.head }

// Init empties the queue.
func (q *Queue) Init() { *q = Queue{} }

// Push appends val to the queue.
func (q *Queue) Push(val Msg) {
	if q.head > 0 && q.head*2 >= len(q.msgs) { // reclaim the popped half
		n := copy(q.msgs, q.msgs[q.head:])
		clear(q.msgs[n:])
		q.msgs, q.head = q.msgs[:n], 0
	}
	q.msgs = append(q.msgs, val)
}

// Peek returns the first message, and false when the queue is empty.
func (q *Queue) Peek() (Msg, bool) {
	if q.Len() == 0 {
		return Msg{}, false
	}
	return q.msgs[q.head], true
}

// Pop removes the first message. Upstream panics on an empty queue; here
// Pop on an empty queue does nothing (API misuse never panics).
func (q *Queue) Pop() {
	if q.Len() == 0 {
		return
	}
	q.msgs[q.head] = Msg{}
	q.head++
	if q.head == len(q.msgs) {
		q.msgs, q.head = q.msgs[:0], 0
	}
}
