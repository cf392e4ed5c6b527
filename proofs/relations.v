(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: Claims that relate measures: CKA squared, the similarity level, comparisons, metric axioms, invariance *)
(* Claims proved: 6; skipped (not covered by the Coq library): 17.
   - cka-rotation-invariant (invariance): kind 'invariance' is not covered by the Coq library
   - cka-translation-invariant (invariance): kind 'invariance' is not covered by the Coq library
   - cka-not-invariant-anisotropic (invariance): kind 'invariance' is not covered by the Coq library
   - match-not-rotation-invariant (invariance): kind 'invariance' is not covered by the Coq library
   - cka-one-under-similarity (relation): kind 'relation' is not covered by the Coq library
   - bound-on-a-measure (relation): kind 'relation' is not covered by the Coq library
   - cka-above-match (relation): kind 'relation' is not covered by the Coq library
   - match-at-eps-one-above-cka (relation): kind 'relation' is not covered by the Coq library
   - distances-equal (relation): kind 'relation' is not covered by the Coq library
   - triangle-1-cka-fails (triangle): kind 'triangle' is not covered by the Coq library
   - triangle-arccos-holds (triangle): kind 'triangle' is not covered by the Coq library
   - triangle-arccos-tight (triangle): kind 'triangle' is not covered by the Coq library
   - triangle-1-match-fails (triangle): kind 'triangle' is not covered by the Coq library
   - knn-well-defined (relation): kind 'relation' is not covered by the Coq library
   - knn-tie-range (relation): kind 'relation' is not covered by the Coq library
   - rsa-rotation-invariant (invariance): kind 'invariance' is not covered by the Coq library
   - rsa-pearson-not-scale-free-per-axis (invariance): kind 'invariance' is not covered by the Coq library *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(1#1); (1#1)]; [(1#1); (-1#1)]; [(-1#1); (1#1)]; [(-1#1); (-1#1)]].
Definition npoints : nat := length inputs.

(* network f *)
Definition net_0 : network := [mk_layer [[(1#1); (0#1)]] [(0#1)] Identity].

(* network g *)
Definition net_1 : network := [mk_layer [[(0#1); (1#1)]] [(0#1)] Identity].

(* network id *)
Definition net_2 : network := [mk_layer [[(1#1); (0#1)]; [(0#1); (1#1)]] [(0#1); (0#1)] Identity].

(* network s *)
Definition net_3 : network := [mk_layer [[(6#5); (-9#10)]; [(9#10); (6#5)]] [(1#1); (-2#1)] Identity].

(* claim cka-irrational (cka), verdict true
   CKA(X, Y) is exactly sqrt(1/2), an irrational number *)
Theorem claim_0_cka_irrational : cka_surd_claim npoints (acts net_2 1%nat inputs) (acts net_0 1%nat inputs) false (Some ((1#1), (1#2))) None None.
Proof. apply cka_surd_true; vm_compute; reflexivity. Qed.

(* claim cka-squared (cka), verdict true
   ... that is, CKA^2(X, Y) = 1/2 *)
Theorem claim_1_cka_squared : cka_surd_claim npoints (acts net_2 1%nat inputs) (acts net_0 1%nat inputs) true (Some ((1#2), (1#1))) None None.
Proof. apply cka_surd_true; vm_compute; reflexivity. Qed.

(* claim cka-not-0.7071 (cka), verdict false
   ... so CKA(X, Y) is not at most 0.7071 (the decimal is read exactly) *)
Theorem claim_2_cka_not_0_7071 : ~ cka_claim npoints (acts net_2 1%nat inputs) (acts net_0 1%nat inputs) None None (Some (7071#10000)).
Proof. apply cka_false; vm_compute; reflexivity. Qed.

(* claim similarity-centred (equivalence), verdict true
   after centring, s is a similarity transform of Y: s = c Q Y with c^2 = 9/4 *)
Theorem claim_7_similarity_centred : similar npoints (center npoints (acts net_3 1%nat inputs)) (center npoints (acts net_2 1%nat inputs)).
Proof. apply (similar_true _ _ _ (9#4) [0%nat; 1%nat] [[(6#5); (-9#10)]; [(9#10); (6#5)]] [[(1#1); (0#1)]; [(0#1); (1#1)]]); vm_compute; reflexivity. Qed.

(* claim orthogonal-centred-fails (equivalence), verdict false
   ... but not an orthogonal one (the scale 3/2) *)
Theorem claim_8_orthogonal_centred_fails : ~ orthogonal_equiv npoints (center npoints (acts net_3 1%nat inputs)) (center npoints (acts net_2 1%nat inputs)).
Proof. apply (orthogonal_false _ _ _ [(1#2); (1#2); (0#1); (0#1)]); vm_compute; reflexivity. Qed.

(* claim similarity-uncentred-fails (equivalence), verdict false
   ... and without centring the shift v breaks the similarity *)
Theorem claim_9_similarity_uncentred_fails : ~ similar npoints (acts net_3 1%nat inputs) (acts net_2 1%nat inputs).
Proof. apply (similar_false1 _ _ _ [(0#1); (1#1); (1#1); (0#1)]); vm_compute; reflexivity. Qed.

