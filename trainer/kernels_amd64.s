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
	// PREFETCHW (spelled in bytes: Go's assembler lacks it) asks for
	// w, m and v 16 lines ahead in a writable state. With two workers the
	// partner's forward pass leaves these lines shared in its cache, and
	// each store would otherwise wait for the other copy to be dropped.
	// A hint: it never faults past the end, and a CPU without it takes
	// it as a NOP.
	BYTE $0x0f; BYTE $0x0d; BYTE $0x8c; BYTE $0xc7; BYTE $0x00; BYTE $0x04; BYTE $0x00; BYTE $0x00    // PREFETCHW 1024(DI)(AX*8)
	BYTE $0x41; BYTE $0x0f; BYTE $0x0d; BYTE $0x8c; BYTE $0xc0; BYTE $0x00; BYTE $0x04; BYTE $0x00; BYTE $0x00    // PREFETCHW 1024(R8)(AX*8)
	BYTE $0x41; BYTE $0x0f; BYTE $0x0d; BYTE $0x8c; BYTE $0xc1; BYTE $0x00; BYTE $0x04; BYTE $0x00; BYTE $0x00    // PREFETCHW 1024(R9)(AX*8)
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


// func tile4x8AVX(c *float64, ldc int, a *float64, ars, astep int, b *float64, bstep, iters int, acc bool)
// A 4×8 tile of C (rows ldc apart) gets Σ_t a_r(t)·b(t)[0:8] for t < iters,
// where row r's multiplier a_r(t) is at a + r·ars + t·astep and b(t) at
// b + t·bstep (all strides in elements). The 8 accumulators stay in
// registers for the whole sum; with acc the tile is added to C, else it
// replaces it.
TEXT ·tile4x8AVX(SB), NOSPLIT, $0-65
	MOVQ c+0(FP), DI
	MOVQ ldc+8(FP), R14
	SHLQ $3, R14
	MOVQ a+16(FP), R8
	MOVQ ars+24(FP), R9
	SHLQ $3, R9
	MOVQ astep+32(FP), R10
	SHLQ $3, R10
	MOVQ b+40(FP), SI
	MOVQ bstep+48(FP), R11
	SHLQ $3, R11
	MOVQ iters+56(FP), CX
	LEAQ (R8)(R9*1), R12      // row 1's multipliers
	LEAQ (R12)(R9*1), R13     // row 2's
	LEAQ (R13)(R9*1), DX      // row 3's
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	TESTQ CX, CX
	JE    tstore

tloop:
	VMOVUPD      (SI), Y8
	VMOVUPD      32(SI), Y9
	VBROADCASTSD (R8), Y10
	VFMADD231PD  Y8, Y10, Y0
	VFMADD231PD  Y9, Y10, Y1
	VBROADCASTSD (R12), Y11
	VFMADD231PD  Y8, Y11, Y2
	VFMADD231PD  Y9, Y11, Y3
	VBROADCASTSD (R13), Y12
	VFMADD231PD  Y8, Y12, Y4
	VFMADD231PD  Y9, Y12, Y5
	VBROADCASTSD (DX), Y13
	VFMADD231PD  Y8, Y13, Y6
	VFMADD231PD  Y9, Y13, Y7
	ADDQ         R10, R8
	ADDQ         R10, R12
	ADDQ         R10, R13
	ADDQ         R10, DX
	ADDQ         R11, SI
	DECQ         CX
	JNE          tloop

tstore:
	MOVBLZX acc+64(FP), AX
	TESTQ   AX, AX
	JE      twrite
	VADDPD  (DI), Y0, Y0
	VADDPD  32(DI), Y1, Y1
	LEAQ    (DI)(R14*1), BX
	VADDPD  (BX), Y2, Y2
	VADDPD  32(BX), Y3, Y3
	LEAQ    (BX)(R14*1), BX
	VADDPD  (BX), Y4, Y4
	VADDPD  32(BX), Y5, Y5
	LEAQ    (BX)(R14*1), BX
	VADDPD  (BX), Y6, Y6
	VADDPD  32(BX), Y7, Y7

twrite:
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	ADDQ    R14, DI
	VMOVUPD Y2, (DI)
	VMOVUPD Y3, 32(DI)
	ADDQ    R14, DI
	VMOVUPD Y4, (DI)
	VMOVUPD Y5, 32(DI)
	ADDQ    R14, DI
	VMOVUPD Y6, (DI)
	VMOVUPD Y7, 32(DI)
	VZEROUPPER
	RET

// func tile4x16AVX512(c *float64, ldc int, a *float64, ars, astep int, b *float64, bstep, iters int, acc bool)
// tile4x8AVX for a 4×16 tile, with 512-bit registers.
TEXT ·tile4x16AVX512(SB), NOSPLIT, $0-65
	MOVQ c+0(FP), DI
	MOVQ ldc+8(FP), R14
	SHLQ $3, R14
	MOVQ a+16(FP), R8
	MOVQ ars+24(FP), R9
	SHLQ $3, R9
	MOVQ astep+32(FP), R10
	SHLQ $3, R10
	MOVQ b+40(FP), SI
	MOVQ bstep+48(FP), R11
	SHLQ $3, R11
	MOVQ iters+56(FP), CX
	LEAQ (R8)(R9*1), R12
	LEAQ (R12)(R9*1), R13
	LEAQ (R13)(R9*1), DX
	VPXORQ Z0, Z0, Z0
	VPXORQ Z1, Z1, Z1
	VPXORQ Z2, Z2, Z2
	VPXORQ Z3, Z3, Z3
	VPXORQ Z4, Z4, Z4
	VPXORQ Z5, Z5, Z5
	VPXORQ Z6, Z6, Z6
	VPXORQ Z7, Z7, Z7
	TESTQ  CX, CX
	JE     zstore

zloop:
	VMOVUPD      (SI), Z8
	VMOVUPD      64(SI), Z9
	VBROADCASTSD (R8), Z10
	VFMADD231PD  Z8, Z10, Z0
	VFMADD231PD  Z9, Z10, Z1
	VBROADCASTSD (R12), Z11
	VFMADD231PD  Z8, Z11, Z2
	VFMADD231PD  Z9, Z11, Z3
	VBROADCASTSD (R13), Z12
	VFMADD231PD  Z8, Z12, Z4
	VFMADD231PD  Z9, Z12, Z5
	VBROADCASTSD (DX), Z13
	VFMADD231PD  Z8, Z13, Z6
	VFMADD231PD  Z9, Z13, Z7
	ADDQ         R10, R8
	ADDQ         R10, R12
	ADDQ         R10, R13
	ADDQ         R10, DX
	ADDQ         R11, SI
	DECQ         CX
	JNE          zloop

zstore:
	MOVBLZX acc+64(FP), AX
	TESTQ   AX, AX
	JE      zwrite
	VADDPD  (DI), Z0, Z0
	VADDPD  64(DI), Z1, Z1
	LEAQ    (DI)(R14*1), BX
	VADDPD  (BX), Z2, Z2
	VADDPD  64(BX), Z3, Z3
	LEAQ    (BX)(R14*1), BX
	VADDPD  (BX), Z4, Z4
	VADDPD  64(BX), Z5, Z5
	LEAQ    (BX)(R14*1), BX
	VADDPD  (BX), Z6, Z6
	VADDPD  64(BX), Z7, Z7

zwrite:
	VMOVUPD Z0, (DI)
	VMOVUPD Z1, 64(DI)
	ADDQ    R14, DI
	VMOVUPD Z2, (DI)
	VMOVUPD Z3, 64(DI)
	ADDQ    R14, DI
	VMOVUPD Z4, (DI)
	VMOVUPD Z5, 64(DI)
	ADDQ    R14, DI
	VMOVUPD Z6, (DI)
	VMOVUPD Z7, 64(DI)
	VZEROUPPER
	RET
