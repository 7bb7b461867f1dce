#include "textflag.h"

// func transposeGather32(dst, src *float32, idx *[16]int32, groups, cols, rows int)
// Columns of 16-row groups of src (rows×cols) into runs of 16 in dst
// (cols×rows), one gather each; idx holds 0, cols, 2·cols, ….
TEXT ·transposeGather32(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ idx+16(FP), AX
	VMOVDQU32 (AX), Z1
	MOVQ groups+24(FP), CX
	MOVQ cols+32(FP), R8
	MOVQ rows+40(FP), R9
	SHLQ $2, R9          // a row of dst in bytes
	MOVQ R8, R10
	SHLQ $6, R10         // 16 rows of src in bytes
	TESTQ CX, CX
	JE   gather32done
	TESTQ R8, R8
	JE   gather32done

gather32group:
	MOVQ SI, BX
	MOVQ DI, DX
	MOVQ R8, R11

gather32col:
	KXNORW K1, K1, K1
	VPGATHERDD (BX)(Z1*4), K1, Z0
	VMOVDQU32 Z0, (DX)
	ADDQ $4, BX
	ADDQ R9, DX
	DECQ R11
	JNE  gather32col
	ADDQ R10, SI
	ADDQ $64, DI
	DECQ CX
	JNE  gather32group

gather32done:
	VZEROUPPER
	RET

// func transposeGather64(dst, src *float64, idx *[16]int32, groups, cols, rows int)
// transposeGather32 for float64: groups of 8 rows, idx's first 8.
TEXT ·transposeGather64(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ idx+16(FP), AX
	VMOVDQU32 (AX), Y1
	MOVQ groups+24(FP), CX
	MOVQ cols+32(FP), R8
	MOVQ rows+40(FP), R9
	SHLQ $3, R9          // a row of dst in bytes
	MOVQ R8, R10
	SHLQ $6, R10         // 8 rows of src in bytes
	TESTQ CX, CX
	JE   gather64done
	TESTQ R8, R8
	JE   gather64done

gather64group:
	MOVQ SI, BX
	MOVQ DI, DX
	MOVQ R8, R11

gather64col:
	KXNORW K1, K1, K1
	VGATHERDPD (BX)(Y1*8), K1, Z0
	VMOVUPD Z0, (DX)
	ADDQ $8, BX
	ADDQ R9, DX
	DECQ R11
	JNE  gather64col
	ADDQ R10, SI
	ADDQ $64, DI
	DECQ CX
	JNE  gather64group

gather64done:
	VZEROUPPER
	RET
