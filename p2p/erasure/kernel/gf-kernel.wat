;; GF(2^8) matrix-times-shards kernel for Coffre's Reed-Solomon coder (p2p/erasure), WASM SIMD.
;; Split-nibble multiplication: c·x = lo[x & 15] ^ hi[x >> 4], each a 16-entry table looked up
;; 16 lanes at a time with i8x16.swizzle (the method of klauspost/reedsolomon and ISA-L).
;; Assembled by scripts/build-erasure-kernel.ts into gf-kernel-wasm.ts; edit this file, then run
;; `npx tsx scripts/build-erasure-kernel.ts`. It only reads and writes its own memory, which the
;; caller fills: tables, then `cols` input blocks, then `rows` output blocks, each `len` bytes.
(module
  (memory (export "memory") 1)

  ;; out[i] = sum over j of M[i][j] · in[j] for i < rows, j < cols, over `len` bytes (a multiple
  ;; of 16, cols >= 1). Rows go in groups of 4, then 2, then 1, so each input vector is split into
  ;; nibbles once per group; the caller lays the tables out in that same order.
  (func (export "apply") (param $t i32) (param $rows i32) (param $cols i32) (param $in i32) (param $out i32) (param $len i32)
    (block $fours
      (loop $four
        (br_if $fours (i32.lt_u (local.get $rows) (i32.const 4)))
        (call $rows4 (local.get $t) (local.get $cols) (local.get $in) (local.get $out) (local.get $len))
        (local.set $t (i32.add (local.get $t) (i32.shl (local.get $cols) (i32.const 7))))
        (local.set $out (i32.add (local.get $out) (i32.shl (local.get $len) (i32.const 2))))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 4)))
        (br $four)))
    (if (i32.ge_u (local.get $rows) (i32.const 2))
      (then
        (call $rows2 (local.get $t) (local.get $cols) (local.get $in) (local.get $out) (local.get $len))
        (local.set $t (i32.add (local.get $t) (i32.shl (local.get $cols) (i32.const 6))))
        (local.set $out (i32.add (local.get $out) (i32.shl (local.get $len) (i32.const 1))))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 2)))))
    (if (local.get $rows)
      (then
        (call $rows1 (local.get $t) (local.get $cols) (local.get $in) (local.get $out) (local.get $len)))))

  ;; Computes 4 output row(s) over `len` bytes (a multiple of 16). Tables: for each input j,
  ;; 4 pairs of 16-byte split-nibble tables, 32 bytes per coefficient, read sequentially.
  (func $rows4 (param $t0 i32) (param $cols i32) (param $in i32) (param $out i32) (param $len i32)
    (local $p i32) (local $t i32) (local $src i32) (local $j i32)
    (local $x v128) (local $lo v128) (local $hi v128) (local $mask v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $mask (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (block $done
      (loop $position
        (br_if $done (i32.ge_u (local.get $p) (local.get $len)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $t (local.get $t0))
        (local.set $src (i32.add (local.get $in) (local.get $p)))
        (local.set $j (local.get $cols))
        (loop $input
          (local.set $x (v128.load (local.get $src)))
          (local.set $lo (v128.and (local.get $x) (local.get $mask)))
          (local.set $hi (i8x16.shr_u (local.get $x) (i32.const 4)))
          (local.set $a0 (v128.xor (local.get $a0) (v128.xor
            (i8x16.swizzle (v128.load offset=0 (local.get $t)) (local.get $lo))
            (i8x16.swizzle (v128.load offset=16 (local.get $t)) (local.get $hi)))))
          (local.set $a1 (v128.xor (local.get $a1) (v128.xor
            (i8x16.swizzle (v128.load offset=32 (local.get $t)) (local.get $lo))
            (i8x16.swizzle (v128.load offset=48 (local.get $t)) (local.get $hi)))))
          (local.set $a2 (v128.xor (local.get $a2) (v128.xor
            (i8x16.swizzle (v128.load offset=64 (local.get $t)) (local.get $lo))
            (i8x16.swizzle (v128.load offset=80 (local.get $t)) (local.get $hi)))))
          (local.set $a3 (v128.xor (local.get $a3) (v128.xor
            (i8x16.swizzle (v128.load offset=96 (local.get $t)) (local.get $lo))
            (i8x16.swizzle (v128.load offset=112 (local.get $t)) (local.get $hi)))))
          (local.set $t (i32.add (local.get $t) (i32.const 128)))
          (local.set $src (i32.add (local.get $src) (local.get $len)))
          (br_if $input (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))
        (local.set $src (i32.add (local.get $out) (local.get $p)))
        (v128.store (local.get $src) (local.get $a0))
        (local.set $src (i32.add (local.get $src) (local.get $len)))
        (v128.store (local.get $src) (local.get $a1))
        (local.set $src (i32.add (local.get $src) (local.get $len)))
        (v128.store (local.get $src) (local.get $a2))
        (local.set $src (i32.add (local.get $src) (local.get $len)))
        (v128.store (local.get $src) (local.get $a3))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $position))))

  ;; Computes 2 output row(s) over `len` bytes (a multiple of 16). Tables: for each input j,
  ;; 2 pairs of 16-byte split-nibble tables, 32 bytes per coefficient, read sequentially.
  (func $rows2 (param $t0 i32) (param $cols i32) (param $in i32) (param $out i32) (param $len i32)
    (local $p i32) (local $t i32) (local $src i32) (local $j i32)
    (local $x v128) (local $lo v128) (local $hi v128) (local $mask v128)
    (local $a0 v128) (local $a1 v128)
    (local.set $mask (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (block $done
      (loop $position
        (br_if $done (i32.ge_u (local.get $p) (local.get $len)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $t (local.get $t0))
        (local.set $src (i32.add (local.get $in) (local.get $p)))
        (local.set $j (local.get $cols))
        (loop $input
          (local.set $x (v128.load (local.get $src)))
          (local.set $lo (v128.and (local.get $x) (local.get $mask)))
          (local.set $hi (i8x16.shr_u (local.get $x) (i32.const 4)))
          (local.set $a0 (v128.xor (local.get $a0) (v128.xor
            (i8x16.swizzle (v128.load offset=0 (local.get $t)) (local.get $lo))
            (i8x16.swizzle (v128.load offset=16 (local.get $t)) (local.get $hi)))))
          (local.set $a1 (v128.xor (local.get $a1) (v128.xor
            (i8x16.swizzle (v128.load offset=32 (local.get $t)) (local.get $lo))
            (i8x16.swizzle (v128.load offset=48 (local.get $t)) (local.get $hi)))))
          (local.set $t (i32.add (local.get $t) (i32.const 64)))
          (local.set $src (i32.add (local.get $src) (local.get $len)))
          (br_if $input (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))
        (local.set $src (i32.add (local.get $out) (local.get $p)))
        (v128.store (local.get $src) (local.get $a0))
        (local.set $src (i32.add (local.get $src) (local.get $len)))
        (v128.store (local.get $src) (local.get $a1))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $position))))

  ;; Computes 1 output row(s) over `len` bytes (a multiple of 16). Tables: for each input j,
  ;; 1 pairs of 16-byte split-nibble tables, 32 bytes per coefficient, read sequentially.
  (func $rows1 (param $t0 i32) (param $cols i32) (param $in i32) (param $out i32) (param $len i32)
    (local $p i32) (local $t i32) (local $src i32) (local $j i32)
    (local $x v128) (local $lo v128) (local $hi v128) (local $mask v128)
    (local $a0 v128)
    (local.set $mask (v128.const i8x16 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15 15))
    (block $done
      (loop $position
        (br_if $done (i32.ge_u (local.get $p) (local.get $len)))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $t (local.get $t0))
        (local.set $src (i32.add (local.get $in) (local.get $p)))
        (local.set $j (local.get $cols))
        (loop $input
          (local.set $x (v128.load (local.get $src)))
          (local.set $lo (v128.and (local.get $x) (local.get $mask)))
          (local.set $hi (i8x16.shr_u (local.get $x) (i32.const 4)))
          (local.set $a0 (v128.xor (local.get $a0) (v128.xor
            (i8x16.swizzle (v128.load offset=0 (local.get $t)) (local.get $lo))
            (i8x16.swizzle (v128.load offset=16 (local.get $t)) (local.get $hi)))))
          (local.set $t (i32.add (local.get $t) (i32.const 32)))
          (local.set $src (i32.add (local.get $src) (local.get $len)))
          (br_if $input (local.tee $j (i32.sub (local.get $j) (i32.const 1)))))
        (local.set $src (i32.add (local.get $out) (local.get $p)))
        (v128.store (local.get $src) (local.get $a0))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $position)))))
