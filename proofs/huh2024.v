(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: Huh et al. (2024), the platonic representation hypothesis: mutual k-NN bounds and a CKA denominator *)
(* Claims proved: 9; skipped (not covered by the Coq library): 0. *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (0#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1); (0#1)]; [(0#1); (0#1); (1#1); (0#1)]; [(0#1); (0#1); (0#1); (1#1)]].
Definition npoints : nat := length inputs.

(* network A *)
Definition net_0 : network := [mk_layer [[(1#1); (5#1); (5#1); (5#1)]; [(0#1); (1#1); (4#1); (-4#1)]] [(0#1); (0#1)] Identity].

(* network B *)
Definition net_1 : network := [mk_layer [[(1#1); (5#1); (0#1); (-1#1)]; [(0#1); (1#1); (1#1); (5#1)]] [(0#1); (0#1)] Identity].

(* network C *)
Definition net_2 : network := [mk_layer [[(5#1); (5#1); (1#1); (5#1)]; [(4#1); (-4#1); (0#1); (1#1)]] [(0#1); (0#1)] Identity].

(* network s *)
Definition net_3 : network := [mk_layer [[(1#4000); (1#4000); (-1#4000); (-1#4000)]] [(0#1)] Identity].

(* network t *)
Definition net_4 : network := [mk_layer [[(1#1); (1#1); (-1#1); (-1#1)]] [(0#1)] Identity].

(* claim mknn-ab (relation), verdict true
   mknn(A, B) = 1/2 *)
Theorem claim_0_mknn_ab : relation_claim npoints (QKnn 1%nat (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)) OEq (QSurd (1#2) (1#1)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim mknn-bc (relation), verdict true
   mknn(B, C) = 1/2 *)
Theorem claim_1_mknn_bc : relation_claim npoints (QKnn 1%nat (acts net_1 1%nat inputs) (acts net_2 1%nat inputs)) OEq (QSurd (1#2) (1#1)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim mknn-ac (relation), verdict true
   mknn(A, C) = 0 *)
Theorem claim_2_mknn_ac : relation_claim npoints (QKnn 1%nat (acts net_0 1%nat inputs) (acts net_2 1%nat inputs)) OEq (QSurd (0#1) (1#1)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim additive-bound (triangle), verdict true
   the bound a maintainer gave in platonic-rep issue #4, mknn(A, C) >= mknn(A, B) + mknn(B, C) - 1, i.e. the triangle inequality of 1 - mknn, holds on A, B, C *)
Theorem claim_3_additive_bound : triangle_claim npoints (QKnn 1%nat (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)) (QKnn 1%nat (acts net_1 1%nat inputs) (acts net_2 1%nat inputs)) (QKnn 1%nat (acts net_0 1%nat inputs) (acts net_2 1%nat inputs)) false true.
Proof. apply (triangle_true _ _ WNone _ WNone _ WNone _ _ (1#2) (1#2) (0#1)); vm_compute; reflexivity. Qed.

(* claim additive-bound-tight (triangle), verdict true
   ... with equality: 1 - mknn(A, C) = (1 - mknn(A, B)) + (1 - mknn(B, C)) = 1 *)
Theorem claim_4_additive_bound_tight : triangle_claim npoints (QKnn 1%nat (acts net_0 1%nat inputs) (acts net_1 1%nat inputs)) (QKnn 1%nat (acts net_1 1%nat inputs) (acts net_2 1%nat inputs)) (QKnn 1%nat (acts net_0 1%nat inputs) (acts net_2 1%nat inputs)) true true.
Proof. apply (triangle_true _ _ WNone _ WNone _ WNone _ _ (1#2) (1#2) (0#1)); vm_compute; reflexivity. Qed.

(* claim product-rule-fails (relation), verdict false
   the rule asked about in the issue, mknn(A, C) >= mknn(A, B) * mknn(B, C) = 1/4, fails: mknn(A, C) = 0 *)
Theorem claim_5_product_rule_fails : ~ relation_claim npoints (QKnn 1%nat (acts net_0 1%nat inputs) (acts net_2 1%nat inputs)) OGe (QSurd (1#4) (1#1)).
Proof. apply (relation_false _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

(* claim cka-scaled-is-one (cka), verdict true
   CKA(x / 4000, x) = 1 exactly (platonic-rep's AlignmentMetrics.cka returns 1/2 here: its + 1e-6 equals sqrt(hsic_kk * hsic_ll)) *)
Theorem claim_6_cka_scaled_is_one : cka_claim npoints (acts net_3 1%nat inputs) (acts net_4 1%nat inputs) (Some (1#1)) None None.
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim cka-not-one-half (cka), verdict false
   ... so CKA(x / 4000, x) is not at most 1/2, the value the + 1e-6 denominator gives *)
Theorem claim_7_cka_not_one_half : ~ cka_claim npoints (acts net_3 1%nat inputs) (acts net_4 1%nat inputs) None None (Some (1#2)).
Proof. apply cka_false; vm_compute; reflexivity. Qed.

(* claim cka-scale-invariant (invariance), verdict true
   ... and CKA is invariant to the isotropic scale that the + 1e-6 breaks: scaling s back by 4000 changes nothing *)
Theorem claim_8_cka_scale_invariant : relation_claim npoints (QCka (tr_scale (4000#1) (acts net_3 1%nat inputs)) (acts net_4 1%nat inputs)) OEq (QCka (acts net_3 1%nat inputs) (acts net_4 1%nat inputs)).
Proof. apply (relation_true _ _ WNone _ _ WNone); vm_compute; reflexivity. Qed.

