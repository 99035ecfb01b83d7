//go:build linux

package majordomo

import "github.com/zring/zring"

// serveInternal answers an mmi.* request (spec 8/MMI) itself. request is
// [client, "", body...]; the reply is the body with its last frame
// replaced by the status, under the client header and the service name,
// as mdbroker does. mmi.service asks whether the service named by the
// last frame has workers.
func (b *Broker) serveInternal(name string, request [][]byte) {
	status := StatusNotImplemented
	if name == "mmi.service" {
		status = StatusNotFound
		if s := b.reg.services[string(request[len(request)-1])]; s != nil && s.workers > 0 {
			status = StatusOK
		}
	}
	reply := make([][]byte, 0, len(request)+2)
	reply = append(reply, request[0], nil, []byte(ClientHeader), []byte(name))
	reply = append(reply, request[2:]...)
	reply[len(reply)-1] = []byte(status)
	b.internal.Add(1)
	if err := b.sock.SendMulti(reply, zring.DontWait); err != nil {
		b.internal.Add(^uint64(0))
	}
}
