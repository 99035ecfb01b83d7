//go:build linux

package zmq4

import (
	"fmt"
	"sort"

	"github.com/zring/zring"
)

// SetOption sets one of the options named by OptionSubscribe,
// OptionUnsubscribe and OptionHWM. Any other name, or a value of the wrong
// kind, is ErrBadProperty (upstream stores unknown names in a property
// bag without effect; here nothing is accepted that does nothing).
// Subscriptions are a set, as upstream's: subscribing a topic twice needs
// one unsubscribe. A subscription on a socket that is not a SUB or XSUB
// also matches zring.ErrNotSupported.
func (s *socket) SetOption(name string, value interface{}) error {
	if err := s.usable("set option"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch name {
	case OptionSubscribe, OptionUnsubscribe:
		var topic string
		switch v := value.(type) {
		case string:
			topic = v
		case []byte:
			topic = string(v)
		default:
			return fmt.Errorf("zmq4: option %s takes a string, not %T: %w", name, value, ErrBadProperty)
		}
		if s.typ != Sub && s.typ != XSub {
			return fmt.Errorf("zmq4: option %s on a %s socket: %w: %w", name, s.typ, ErrBadProperty, zring.ErrNotSupported)
		}
		_, have := s.topics[topic]
		switch {
		case name == OptionSubscribe && !have:
			if err := s.zs.Subscribe(topic); err != nil {
				return s.mapErr("subscribe", err)
			}
			s.topics[topic] = struct{}{}
		case name == OptionUnsubscribe && have:
			if err := s.zs.Unsubscribe(topic); err != nil {
				return s.mapErr("unsubscribe", err)
			}
			delete(s.topics, topic)
		}
	case OptionHWM:
		n, ok := value.(int)
		if !ok || n < 0 {
			return fmt.Errorf("zmq4: option %s takes an int >= 0, not %T %v: %w", name, value, value, ErrBadProperty)
		}
		if err := s.zs.SetOption(zring.WithSndHWM(n), zring.WithRcvHWM(n)); err != nil {
			return s.mapErr("set HWM", err)
		}
	default:
		return fmt.Errorf("zmq4: unknown option %q: %w", name, ErrBadProperty)
	}
	s.props[name] = value
	return nil
}

// GetOption returns an option: OptionHWM as zring has it (1000 unless
// set), OptionSubscribe and OptionUnsubscribe as last set. An option never
// set, or an unknown name, is ErrBadProperty.
func (s *socket) GetOption(name string) (interface{}, error) {
	if err := s.usable("get option"); err != nil {
		return nil, err
	}
	if name == OptionHWM {
		n, err := s.zs.SockOptInt(zring.OptSndHWM)
		if err != nil {
			return nil, s.mapErr("get HWM", err)
		}
		return n, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.props[name]
	if !ok {
		return nil, fmt.Errorf("zmq4: option %q not set: %w", name, ErrBadProperty)
	}
	return v, nil
}

// subscribed returns the sorted topics subscribed to.
func (s *socket) subscribed() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	topics := make([]string, 0, len(s.topics))
	for t := range s.topics {
		topics = append(topics, t)
	}
	sort.Strings(topics)
	return topics
}
