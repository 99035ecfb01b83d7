#include "textflag.h"

// func PrefetchWrite(p unsafe.Pointer)
TEXT ·PrefetchWrite(SB), NOSPLIT, $0-8
	MOVQ p+0(FP), AX
	// PREFETCHW (AX), encoded 0F 0D /1: the Go assembler has no mnemonic.
	BYTE $0x0F; BYTE $0x0D; BYTE $0x08
	RET

// func Pause(n int)
TEXT ·Pause(SB), NOSPLIT, $0-8
	MOVQ n+0(FP), AX
	TESTQ AX, AX
	JLE done
loop:
	PAUSE
	DECQ AX
	JNZ loop
done:
	RET
