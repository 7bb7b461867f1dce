#include "textflag.h"

// func axpy4AVX(c, b0, b1, b2, b3 *float64, a0, a1, a2, a3 float64, n int)
// c[j] += a0*b0[j] + a1*b1[j] + a2*b2[j] + a3*b3[j], as four fused multiply-adds.
TEXT ·axpy4AVX(SB), NOSPLIT, $0-80
	MOVQ c+0(FP), DI
	MOVQ b0+8(FP), R8
	MOVQ b1+16(FP), R9
	MOVQ b2+24(FP), R10
	MOVQ b3+32(FP), R11
	VBROADCASTSD a0+40(FP), Y0
	VBROADCASTSD a1+48(FP), Y1
	VBROADCASTSD a2+56(FP), Y2
	VBROADCASTSD a3+64(FP), Y3
	MOVQ n+72(FP), CX
	XORQ AX, AX

loop8:
	MOVQ CX, DX
	SUBQ AX, DX
	CMPQ DX, $8
	JL   loop4
	VMOVUPD     (DI)(AX*8), Y4
	VMOVUPD     32(DI)(AX*8), Y5
	VFMADD231PD (R8)(AX*8), Y0, Y4
	VFMADD231PD 32(R8)(AX*8), Y0, Y5
	VFMADD231PD (R9)(AX*8), Y1, Y4
	VFMADD231PD 32(R9)(AX*8), Y1, Y5
	VFMADD231PD (R10)(AX*8), Y2, Y4
	VFMADD231PD 32(R10)(AX*8), Y2, Y5
	VFMADD231PD (R11)(AX*8), Y3, Y4
	VFMADD231PD 32(R11)(AX*8), Y3, Y5
	VMOVUPD     Y4, (DI)(AX*8)
	VMOVUPD     Y5, 32(DI)(AX*8)
	ADDQ        $8, AX
	JMP         loop8

loop4:
	CMPQ DX, $4
	JL   tail
	VMOVUPD     (DI)(AX*8), Y4
	VFMADD231PD (R8)(AX*8), Y0, Y4
	VFMADD231PD (R9)(AX*8), Y1, Y4
	VFMADD231PD (R10)(AX*8), Y2, Y4
	VFMADD231PD (R11)(AX*8), Y3, Y4
	VMOVUPD     Y4, (DI)(AX*8)
	ADDQ        $4, AX

tail:
	CMPQ AX, CX
	JGE  done
	VMOVSD      (DI)(AX*8), X4
	VFMADD231SD (R8)(AX*8), X0, X4
	VFMADD231SD (R9)(AX*8), X1, X4
	VFMADD231SD (R10)(AX*8), X2, X4
	VFMADD231SD (R11)(AX*8), X3, X4
	VMOVSD      X4, (DI)(AX*8)
	INCQ        AX
	JMP         tail

done:
	VZEROUPPER
	RET

// func dot4AVX(a, b0, b1, b2, b3 *float64, n int, out *[4]float64)
// out[p] = Σ_j a[j]*b_p[j], with two vector accumulators per output.
TEXT ·dot4AVX(SB), NOSPLIT, $0-56
	MOVQ a+0(FP), SI
	MOVQ b0+8(FP), R8
	MOVQ b1+16(FP), R9
	MOVQ b2+24(FP), R10
	MOVQ b3+32(FP), R11
	MOVQ n+40(FP), CX
	MOVQ out+48(FP), DI
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	XORQ   AX, AX

dloop8:
	MOVQ CX, DX
	SUBQ AX, DX
	CMPQ DX, $8
	JL   dloop4
	VMOVUPD     (SI)(AX*8), Y8
	VMOVUPD     32(SI)(AX*8), Y9
	VFMADD231PD (R8)(AX*8), Y8, Y0
	VFMADD231PD 32(R8)(AX*8), Y9, Y4
	VFMADD231PD (R9)(AX*8), Y8, Y1
	VFMADD231PD 32(R9)(AX*8), Y9, Y5
	VFMADD231PD (R10)(AX*8), Y8, Y2
	VFMADD231PD 32(R10)(AX*8), Y9, Y6
	VFMADD231PD (R11)(AX*8), Y8, Y3
	VFMADD231PD 32(R11)(AX*8), Y9, Y7
	ADDQ        $8, AX
	JMP         dloop8

dloop4:
	CMPQ DX, $4
	JL   dreduce
	VMOVUPD     (SI)(AX*8), Y8
	VFMADD231PD (R8)(AX*8), Y8, Y0
	VFMADD231PD (R9)(AX*8), Y8, Y1
	VFMADD231PD (R10)(AX*8), Y8, Y2
	VFMADD231PD (R11)(AX*8), Y8, Y3
	ADDQ        $4, AX

dreduce:
	VADDPD Y4, Y0, Y0
	VADDPD Y5, Y1, Y1
	VADDPD Y6, Y2, Y2
	VADDPD Y7, Y3, Y3
	// Horizontal sums: Y0..Y3 → X0..X3 scalars.
	VEXTRACTF128 $1, Y0, X8
	VADDPD       X8, X0, X0
	VHADDPD      X0, X0, X0
	VEXTRACTF128 $1, Y1, X8
	VADDPD       X8, X1, X1
	VHADDPD      X1, X1, X1
	VEXTRACTF128 $1, Y2, X8
	VADDPD       X8, X2, X2
	VHADDPD      X2, X2, X2
	VEXTRACTF128 $1, Y3, X8
	VADDPD       X8, X3, X3
	VHADDPD      X3, X3, X3

dtail:
	CMPQ AX, CX
	JGE  ddone
	VMOVSD      (SI)(AX*8), X8
	VFMADD231SD (R8)(AX*8), X8, X0
	VFMADD231SD (R9)(AX*8), X8, X1
	VFMADD231SD (R10)(AX*8), X8, X2
	VFMADD231SD (R11)(AX*8), X8, X3
	INCQ        AX
	JMP         dtail

ddone:
	VMOVSD X0, (DI)
	VMOVSD X1, 8(DI)
	VMOVSD X2, 16(DI)
	VMOVSD X3, 24(DI)
	VZEROUPPER
	RET

// func adamAVX(w, grad, m, v *float64, n int, b1, b2, lrc1, c2, eps float64)
// For each i: m = b1·m + (1−b1)·g; v = b2·v + (1−b2)·g²;
// w −= lrc1·m / (sqrt(c2·v) + eps), four at a time; n must be a multiple of 4.
TEXT ·adamAVX(SB), NOSPLIT, $0-80
	MOVQ w+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	VBROADCASTSD b1+40(FP), Y10
	VBROADCASTSD b2+48(FP), Y11
	VBROADCASTSD lrc1+56(FP), Y12
	VBROADCASTSD c2+64(FP), Y13
	VBROADCASTSD eps+72(FP), Y14
	// Y8 = 1 − b1, Y9 = 1 − b2
	MOVQ         $0x3ff0000000000000, AX
	MOVQ         AX, X15
	VBROADCASTSD X15, Y15
	VSUBPD       Y10, Y15, Y8
	VSUBPD       Y11, Y15, Y9
	XORQ         AX, AX

aloop:
	CMPQ AX, CX
	JGE  adone
	VMOVUPD     (SI)(AX*8), Y0          // g
	VMULPD      (R8)(AX*8), Y10, Y1     // b1·m
	VFMADD231PD Y0, Y8, Y1              // + (1−b1)·g
	VMOVUPD     Y1, (R8)(AX*8)
	VMULPD      Y0, Y0, Y2              // g²
	VMULPD      (R9)(AX*8), Y11, Y3     // b2·v
	VFMADD231PD Y2, Y9, Y3              // + (1−b2)·g²
	VMOVUPD     Y3, (R9)(AX*8)
	VMULPD      Y3, Y13, Y4             // c2·v
	VSQRTPD     Y4, Y4
	VADDPD      Y14, Y4, Y4             // + eps
	VMULPD      Y1, Y12, Y5             // lrc1·m
	VDIVPD      Y4, Y5, Y5
	VMOVUPD     (DI)(AX*8), Y6
	VSUBPD      Y5, Y6, Y6
	VMOVUPD     Y6, (DI)(AX*8)
	ADDQ        $4, AX
	JMP         aloop

adone:
	VZEROUPPER
	RET

