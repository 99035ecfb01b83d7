package zring

import "github.com/zring/zring/socket"

// Subscribe adds a subscription (ZMQ_SUBSCRIBE): a SUB or XSUB then receives
// messages whose first frame starts with topic; "" matches every message.
// Subscriptions are counted, so each Subscribe needs its own Unsubscribe.
// On an XPUB with XPUB_MANUAL it subscribes the peer whose subscription
// message was received last. Other socket types return ErrNotSupported.
func (s *Socket) Subscribe(topic string) error {
	return s.subscribe([]byte(topic), true)
}

// Unsubscribe removes one subscription added by Subscribe
// (ZMQ_UNSUBSCRIBE); the topic stays while other Subscribe calls for it
// remain.
func (s *Socket) Unsubscribe(topic string) error {
	return s.subscribe([]byte(topic), false)
}

func (s *Socket) subscribe(topic []byte, on bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closeErr != nil {
		return s.closeErr
	}
	sub, ok := s.pat.(socket.Subscriber)
	if !ok {
		return ErrNotSupported
	}
	s.processCommands()
	return sub.Subscribe(topic, on)
}
