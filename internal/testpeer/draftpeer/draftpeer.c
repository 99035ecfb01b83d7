// draftpeer: a libzmq 4.3.5 socket with the draft API, driven by line
// commands on stdin, for zring's interop tests of the draft socket types
// (see doc.go, "Draft peer"). Built by testpeer.StartDraft against the
// libzmq that ../shared/peers/build-libzmq.sh installs.
#define ZMQ_BUILD_DRAFT_API
#include <zmq.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *ctx, *sock;

static const char *errname(int e) {
	switch (e) {
	case EAGAIN: return "EAGAIN";
	case EINVAL: return "EINVAL";
	case EHOSTUNREACH: return "EHOSTUNREACH";
	case ENOTSUP: return "ENOTSUP";
	case EFSM: return "EFSM";
	case ETERM: return "ETERM";
	}
	return "EOTHER";
}

static void fail(void) { printf("err %s %s\n", errname(zmq_errno()), zmq_strerror(zmq_errno())); }

static const struct { const char *name; int type; } types[] = {
	{"PAIR", ZMQ_PAIR}, {"PUB", ZMQ_PUB}, {"SUB", ZMQ_SUB}, {"REQ", ZMQ_REQ},
	{"REP", ZMQ_REP}, {"DEALER", ZMQ_DEALER}, {"ROUTER", ZMQ_ROUTER},
	{"PULL", ZMQ_PULL}, {"PUSH", ZMQ_PUSH}, {"XPUB", ZMQ_XPUB}, {"XSUB", ZMQ_XSUB},
	{"SERVER", ZMQ_SERVER}, {"CLIENT", ZMQ_CLIENT}, {"RADIO", ZMQ_RADIO},
	{"DISH", ZMQ_DISH}, {"GATHER", ZMQ_GATHER}, {"SCATTER", ZMQ_SCATTER},
	{"DGRAM", ZMQ_DGRAM}, {"PEER", ZMQ_PEER}, {"CHANNEL", ZMQ_CHANNEL},
};

static const struct { const char *name; int opt; } options[] = {
	{"SNDHWM", ZMQ_SNDHWM}, {"RCVHWM", ZMQ_RCVHWM}, {"LINGER", ZMQ_LINGER},
	{"RCVTIMEO", ZMQ_RCVTIMEO}, {"SNDTIMEO", ZMQ_SNDTIMEO},
	{"HEARTBEAT_IVL", ZMQ_HEARTBEAT_IVL}, {"WSS_TRUST_SYSTEM", ZMQ_WSS_TRUST_SYSTEM},
};

// Options whose value is bytes, given in hex.
static const struct { const char *name; int opt; } bytes_options[] = {
	{"HELLO_MSG", ZMQ_HELLO_MSG}, {"DISCONNECT_MSG", ZMQ_DISCONNECT_MSG},
	{"HICCUP_MSG", ZMQ_HICCUP_MSG}, {"SUBSCRIBE", ZMQ_SUBSCRIBE},
	{"ROUTING_ID", ZMQ_ROUTING_ID}, {"WSS_KEY_PEM", ZMQ_WSS_KEY_PEM},
	{"WSS_CERT_PEM", ZMQ_WSS_CERT_PEM}, {"WSS_TRUST_PEM", ZMQ_WSS_TRUST_PEM},
	{"WSS_HOSTNAME", ZMQ_WSS_HOSTNAME},
};

static long unhex(const char *text, char **out);

// unhex decodes text ("-" is empty) into a malloc'd buffer; -1 if malformed.
static long unhex(const char *text, char **out) {
	size_t n = strlen(text);
	*out = malloc(n / 2 + 1);
	if (strcmp(text, "-") == 0) return 0;
	if (n % 2) return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(text + 2 * i, "%2x", &v) != 1) return -1;
		(*out)[i] = (char)v;
	}
	return (long)(n / 2);
}

static void puthex(const void *data, size_t n) {
	if (n == 0) fputs("-", stdout);
	for (size_t i = 0; i < n; i++) printf("%02x", ((const unsigned char *)data)[i]);
}

// sendmsg sends hex as one message with routing id rid (0: none).
static void sendmsg(unsigned rid, const char *hex) {
	char *buf;
	long n = unhex(hex, &buf);
	if (n < 0) { printf("err EINVAL bad hex\n"); free(buf); return; }
	zmq_msg_t m;
	zmq_msg_init_size(&m, (size_t)n);
	memcpy(zmq_msg_data(&m), buf, (size_t)n);
	free(buf);
	if (rid && zmq_msg_set_routing_id(&m, rid) != 0) { fail(); zmq_msg_close(&m); return; }
	if (zmq_msg_send(&m, sock, 0) < 0) { fail(); zmq_msg_close(&m); return; }
	printf("ok\n");
}

// recvmsg prints "ok ROUTING_ID HEX" for the next message.
static void recvmsg(void) {
	zmq_msg_t m;
	zmq_msg_init(&m);
	if (zmq_msg_recv(&m, sock, 0) < 0) { fail(); zmq_msg_close(&m); return; }
	printf("ok %u ", zmq_msg_routing_id(&m));
	puthex(zmq_msg_data(&m), zmq_msg_size(&m));
	printf("\n");
	zmq_msg_close(&m);
}

// sendgroup sends hex to group ghex (zmq_msg_set_group, for RADIO).
static void sendgroup(const char *ghex, const char *hex) {
	char *group, *buf;
	long gn = unhex(ghex, &group), n = unhex(hex, &buf);
	if (gn < 0 || n < 0) { printf("err EINVAL bad hex\n"); free(group); free(buf); return; }
	group[gn] = 0;
	zmq_msg_t m;
	zmq_msg_init_size(&m, (size_t)n);
	memcpy(zmq_msg_data(&m), buf, (size_t)n);
	free(buf);
	int rc = zmq_msg_set_group(&m, group);
	free(group);
	if (rc != 0 || zmq_msg_send(&m, sock, 0) < 0) { fail(); zmq_msg_close(&m); return; }
	printf("ok\n");
}

// recvgroup prints "ok GROUP_HEX HEX" for the next message (DISH).
static void recvgroup(void) {
	zmq_msg_t m;
	zmq_msg_init(&m);
	if (zmq_msg_recv(&m, sock, 0) < 0) { fail(); zmq_msg_close(&m); return; }
	const char *group = zmq_msg_group(&m);
	printf("ok ");
	puthex(group, strlen(group));
	printf(" ");
	puthex(zmq_msg_data(&m), zmq_msg_size(&m));
	printf("\n");
	zmq_msg_close(&m);
}

// sendmulti sends the space-separated hex parts as one message (DGRAM).
static void sendmulti(char *arg) {
	char *part = arg;
	while (part) {
		char *next = strchr(part, ' ');
		if (next) *next++ = 0;
		char *buf;
		long n = unhex(part, &buf);
		if (n < 0) { printf("err EINVAL bad hex\n"); free(buf); return; }
		int rc = zmq_send(sock, buf, (size_t)n, next ? ZMQ_SNDMORE : 0);
		free(buf);
		if (rc < 0) { fail(); return; }
		part = next;
	}
	printf("ok\n");
}

// recvmulti prints "ok HEX HEX ..." for the next message's parts, or one
// error line if the first part does not come.
static void recvmulti(void) {
	int more = 1, first = 1;
	while (more) {
		zmq_msg_t m;
		zmq_msg_init(&m);
		int rc = zmq_msg_recv(&m, sock, 0);
		if (rc < 0 && first) { fail(); zmq_msg_close(&m); return; }
		if (first) printf("ok");
		first = 0;
		printf(" ");
		if (rc < 0) { printf("?\n"); zmq_msg_close(&m); return; } // libzmq delivers parts whole
		puthex(zmq_msg_data(&m), zmq_msg_size(&m));
		more = zmq_msg_more(&m);
		zmq_msg_close(&m);
	}
	printf("\n");
}

// joinleave joins (or leaves) the group ghex (DISH).
static void joinleave(const char *ghex, int join) {
	char *group;
	long n = unhex(ghex, &group);
	if (n < 0) { printf("err EINVAL bad hex\n"); free(group); return; }
	group[n] = 0;
	int rc = join ? zmq_join(sock, group) : zmq_leave(sock, group);
	free(group);
	if (rc != 0) { fail(); return; }
	printf("ok\n");
}

static void command(char *line) {
	char *arg = strchr(line, ' ');
	if (arg) *arg++ = 0; else arg = line + strlen(line);
	if (strcmp(line, "socket") == 0) {
		for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
			if (strcmp(arg, types[i].name) == 0) {
				if (sock) zmq_close(sock);
				sock = zmq_socket(ctx, types[i].type);
				if (!sock) { fail(); return; }
				printf("ok\n");
				return;
			}
		}
		printf("err EINVAL unknown socket type\n");
	} else if (!sock && strcmp(line, "quit") != 0) {
		printf("err ENOTSOCK no socket\n");
	} else if (strcmp(line, "setsockopt") == 0) {
		char *val = strchr(arg, ' ');
		if (!val) { printf("err EINVAL setsockopt NAME VALUE\n"); return; }
		*val++ = 0;
		for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
			if (strcmp(arg, options[i].name) == 0) {
				int v = atoi(val);
				if (zmq_setsockopt(sock, options[i].opt, &v, sizeof v) != 0) { fail(); return; }
				printf("ok\n");
				return;
			}
		}
		for (size_t i = 0; i < sizeof bytes_options / sizeof bytes_options[0]; i++) {
			if (strcmp(arg, bytes_options[i].name) == 0) {
				char *buf;
				long n = unhex(val, &buf);
				int rc = n < 0 ? -1 : zmq_setsockopt(sock, bytes_options[i].opt, buf, (size_t)n);
				free(buf);
				if (n < 0) { printf("err EINVAL bad hex\n"); return; }
				if (rc != 0) { fail(); return; }
				printf("ok\n");
				return;
			}
		}
		printf("err EINVAL unknown option\n");
	} else if (strcmp(line, "bind") == 0) {
		char ep[256];
		size_t n = sizeof ep;
		if (zmq_bind(sock, arg) != 0 || zmq_getsockopt(sock, ZMQ_LAST_ENDPOINT, ep, &n) != 0) { fail(); return; }
		printf("ok %s\n", ep);
	} else if (strcmp(line, "connect") == 0) {
		if (zmq_connect(sock, arg) != 0) { fail(); return; }
		printf("ok\n");
	} else if (strcmp(line, "connectpeer") == 0) {
		uint32_t rid = zmq_connect_peer(sock, arg);
		if (rid == 0) { fail(); return; }
		printf("ok %u\n", rid);
	} else if (strcmp(line, "send") == 0) {
		sendmsg(0, arg);
	} else if (strcmp(line, "sendto") == 0) {
		char *hex = strchr(arg, ' ');
		if (!hex) { printf("err EINVAL sendto RID HEX\n"); return; }
		*hex++ = 0;
		sendmsg((unsigned)strtoul(arg, NULL, 10), hex);
	} else if (strcmp(line, "recv") == 0) {
		recvmsg();
	} else if (strcmp(line, "sendgroup") == 0) {
		char *hex = strchr(arg, ' ');
		if (!hex) { printf("err EINVAL sendgroup GROUP HEX\n"); return; }
		*hex++ = 0;
		sendgroup(arg, hex);
	} else if (strcmp(line, "recvgroup") == 0) {
		recvgroup();
	} else if (strcmp(line, "sendmulti") == 0) {
		sendmulti(arg);
	} else if (strcmp(line, "recvmulti") == 0) {
		recvmulti();
	} else if (strcmp(line, "join") == 0 || strcmp(line, "leave") == 0) {
		joinleave(arg, line[0] == 'j');
	} else if (strcmp(line, "quit") == 0) {
		printf("ok\n");
		fflush(stdout);
		if (sock) zmq_close(sock);
		zmq_ctx_term(ctx);
		exit(0);
	} else {
		printf("err EINVAL unknown command\n");
	}
}

int main(void) {
	int major, minor, patch;
	zmq_version(&major, &minor, &patch);
	ctx = zmq_ctx_new();
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready %d.%d.%d draftpeer\n", major, minor, patch);
	static char line[1 << 20];
	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\r\n")] = 0;
		command(line);
	}
	if (sock) {
		int zero = 0;
		zmq_setsockopt(sock, ZMQ_LINGER, &zero, sizeof zero);
		zmq_close(sock);
	}
	zmq_ctx_term(ctx);
	return 0;
}
