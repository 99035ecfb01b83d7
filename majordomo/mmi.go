package majordomo

import "github.com/zring/zring"

// serveInternal answers an mmi.* request (spec 8/MMI) itself, to a
// client speaking v. request is [client, "", body...]; the reply is the
// body with its last frame replaced by the status, under the client
// header and the service name, as mdbroker does (under MDP/0.2, as a
// FINAL). mmi.service asks whether the service named by the last frame
// has workers.
func (b *Broker) serveInternal(name string, v Version, request [][]byte) {
	status := StatusNotImplemented
	if name == "mmi.service" {
		status = StatusNotFound
		if s := b.reg.services[string(request[len(request)-1])]; s != nil && s.workers > 0 {
			status = StatusOK
		}
	}
	body := append([][]byte(nil), request[2:]...)
	body[len(body)-1] = []byte(status)
	reply := v.clientReply(request[0], name, true, body)
	b.internal.Add(1)
	if err := b.sock.SendMulti(reply, zring.DontWait); err != nil {
		b.internal.Add(^uint64(0))
	}
}
