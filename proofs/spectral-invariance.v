(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and proves it from the certificate's witness.
   Title: Invariances of the spectral measures: which transformations of one side leave each measure unchanged *)
(* Claims proved: 4; skipped (not covered by the Coq library): 24.
   - cca-rot (cca): kind 'cca' is not covered by the Coq library
   - svcca-rot (svcca): kind 'svcca' is not covered by the Coq library
   - pwcca-rot (pwcca): kind 'pwcca' is not covered by the Coq library
   - procrustes-rot (procrustes): kind 'procrustes' is not covered by the Coq library
   - angular-rot (angular_procrustes): kind 'angular_procrustes' is not covered by the Coq library
   - cca-scaled (cca): kind 'cca' is not covered by the Coq library
   - svcca-scaled (svcca): kind 'svcca' is not covered by the Coq library
   - pwcca-scaled (pwcca): kind 'pwcca' is not covered by the Coq library
   - procrustes-scaled (procrustes): kind 'procrustes' is not covered by the Coq library
   - angular-scaled (angular_procrustes): kind 'angular_procrustes' is not covered by the Coq library
   - cca-shifted (cca): kind 'cca' is not covered by the Coq library
   - svcca-shifted (svcca): kind 'svcca' is not covered by the Coq library
   - pwcca-shifted (pwcca): kind 'pwcca' is not covered by the Coq library
   - procrustes-shifted (procrustes): kind 'procrustes' is not covered by the Coq library
   - angular-shifted (angular_procrustes): kind 'angular_procrustes' is not covered by the Coq library
   - cca-lin (cca): kind 'cca' is not covered by the Coq library
   - svcca-lin (svcca): kind 'svcca' is not covered by the Coq library
   - pwcca-lin (pwcca): kind 'pwcca' is not covered by the Coq library
   - procrustes-lin (procrustes): kind 'procrustes' is not covered by the Coq library
   - angular-lin (angular_procrustes): kind 'angular_procrustes' is not covered by the Coq library
   - cca-wide (cca): kind 'cca' is not covered by the Coq library
   - cca-lin-wide (cca): kind 'cca' is not covered by the Coq library
   - pwcca-wide (pwcca): kind 'pwcca' is not covered by the Coq library
   - pwcca-lin-wide (pwcca): kind 'pwcca' is not covered by the Coq library *)

From Symrep Require Import Symrep.
From Coq Require Import QArith List.
Import ListNotations.
Open Scope Q_scope.

(* the data points, one list per point *)
Definition inputs : mat := [[(2#1); (1#1); (0#1)]; [(-1#1); (1#1); (2#1)]; [(0#1); (-3#1); (1#1)]; [(3#1); (0#1); (-1#1)]; [(1#1); (2#1); (-1#1)]; [(-2#1); (0#1); (3#1)]; [(0#1); (1#1); (2#1)]; [(1#1); (-1#1); (0#1)]].
Definition npoints : nat := length inputs.

(* network base *)
Definition net_0 : network := [mk_layer [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]] [(0#1); (0#1); (0#1)] Identity].

(* network rot *)
Definition net_1 : network := [mk_layer [[(3#5); (4#5); (0#1)]; [(-4#5); (3#5); (0#1)]; [(0#1); (0#1); (1#1)]] [(0#1); (0#1); (0#1)] Identity].

(* network scaled *)
Definition net_2 : network := [mk_layer [[(7#1); (0#1); (0#1)]; [(0#1); (7#1); (0#1)]; [(0#1); (0#1); (7#1)]] [(0#1); (0#1); (0#1)] Identity].

(* network shifted *)
Definition net_3 : network := [mk_layer [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]] [(5#1); (-7#3); (1#2)] Identity].

(* network lin *)
Definition net_4 : network := [mk_layer [[(1#1); (2#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(1#1); (1#1); (1#1)]] [(0#1); (0#1); (0#1)] Identity].

(* network wide *)
Definition net_5 : network := [mk_layer [[(1#1); (-1#1); (0#1)]; [(0#1); (1#1); (1#1)]; [(1#1); (0#1); (-1#1)]; [(1#1); (1#1); (1#1)]] [(0#1); (0#1); (0#1); (0#1)] Relu].

(* claim cka-rot (cka), verdict true
   CKA is invariant under an orthogonal map: CKA(X, T X) = 1 *)
Theorem claim_0_cka_rot : cka_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) (Some (1#1)) None None.
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim cka-scaled (cka), verdict true
   CKA is invariant under isotropic scaling: CKA(X, T X) = 1 *)
Theorem claim_6_cka_scaled : cka_claim npoints (acts net_0 1%nat inputs) (acts net_2 1%nat inputs) (Some (1#1)) None None.
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim cka-shifted (cka), verdict true
   CKA is invariant under translation: CKA(X, T X) = 1 *)
Theorem claim_12_cka_shifted : cka_claim npoints (acts net_0 1%nat inputs) (acts net_3 1%nat inputs) (Some (1#1)) None None.
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim cka-lin (cka), verdict true
   CKA is not invariant under an invertible linear map: CKA(X, T X) < 1 *)
Theorem claim_18_cka_lin : cka_claim npoints (acts net_0 1%nat inputs) (acts net_4 1%nat inputs) None None (Some (3#5)).
Proof. apply cka_true; vm_compute; reflexivity. Qed.

