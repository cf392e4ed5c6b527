(* Exported by `symrep coq` from a symrep certificate. Every theorem below states one claim
   with the definitions of coq/Symrep.v and coq/Spectral.v and proves it from the certificate's witness.
   Title: Invariances of the spectral measures: which transformations of one side leave each measure unchanged *)
(* Claims proved: 22; skipped (not covered by the Coq library): 6.
   - svcca-rot (svcca): kind 'svcca' is not covered by the Coq library
   - svcca-scaled (svcca): kind 'svcca' is not covered by the Coq library
   - svcca-shifted (svcca): kind 'svcca' is not covered by the Coq library
   - svcca-lin (svcca): kind 'svcca' is not covered by the Coq library
   - pwcca-wide (pwcca): pwcca: a bracket (an irrational value) is not in the Coq library (mean CCA's is)
   - pwcca-lin-wide (pwcca): pwcca: a bracket (an irrational value) is not in the Coq library (mean CCA's is) *)

From Symrep Require Import Symrep Spectral.
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

(* claim cca-rot (cca), verdict true
   mean CCA is invariant under an orthogonal map: CCA(X, T X) = 1 *)
Theorem claim_1_cca_rot : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(91#85); (-138#85); (41#17)]; [(3#5); (-4#5); (2#1)]; [(18#85); (-74#85); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(3#5); (4#5); (0#1)]; [(-4#5); (3#5); (0#1)]; [(0#1); (0#1); (1#1)]])))); vm_compute; reflexivity. Qed.

(* claim pwcca-rot (pwcca), verdict true
   PWCCA(X, T X) = 1 under an orthogonal map (every correlation is 1) *)
Theorem claim_3_pwcca_rot : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(91#85); (-138#85); (41#17)]; [(3#5); (-4#5); (2#1)]; [(18#85); (-74#85); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(3#5); (4#5); (0#1)]; [(-4#5); (3#5); (0#1)]; [(0#1); (0#1); (1#1)]])))); vm_compute; reflexivity. Qed.

(* claim procrustes-rot (procrustes), verdict true
   the Procrustes distance is invariant under an orthogonal map: d(X, T X) = 0 *)
Theorem claim_4_procrustes_rot : procrustes_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) (Some (0#1)) None None.
Proof. apply (procrustes_true _ _ _ _ _ _ ([[(3#5); (-4#5); (0#1)]; [(4#5); (3#5); (0#1)]; [(0#1); (0#1); (1#1)]], true) (0%nat, [], [], [])); vm_compute; reflexivity. Qed.

(* claim angular-rot (angular_procrustes), verdict true
   the angular Procrustes distance is invariant under an orthogonal map: 0 *)
Theorem claim_5_angular_rot : angular_claim npoints (acts net_0 1%nat inputs) (acts net_1 1%nat inputs) (Some (0#1)) None None.
Proof. apply (angular_true _ _ _ _ _ _ (403#8) ([[(3#5); (-4#5); (0#1)]; [(4#5); (3#5); (0#1)]; [(0#1); (0#1); (1#1)]], true) (0#1) (0#1) (0%nat, [], [], [])); vm_compute; reflexivity. Qed.

(* claim cka-scaled (cka), verdict true
   CKA is invariant under isotropic scaling: CKA(X, T X) = 1 *)
Theorem claim_6_cka_scaled : cka_claim npoints (acts net_0 1%nat inputs) (acts net_2 1%nat inputs) (Some (1#1)) None None.
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim cca-scaled (cca), verdict true
   mean CCA is invariant under isotropic scaling: CCA(X, T X) = 1 *)
Theorem claim_7_cca_scaled : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_2 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#119); (-2#119); (41#119)]; [(1#7); (0#1); (2#7)]; [(2#17); (-6#119); (3#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(7#1); (0#1); (0#1)]; [(0#1); (7#1); (0#1)]; [(0#1); (0#1); (7#1)]])))); vm_compute; reflexivity. Qed.

(* claim pwcca-scaled (pwcca), verdict true
   PWCCA(X, T X) = 1 under isotropic scaling (every correlation is 1) *)
Theorem claim_9_pwcca_scaled : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_2 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#119); (-2#119); (41#119)]; [(1#7); (0#1); (2#7)]; [(2#17); (-6#119); (3#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(7#1); (0#1); (0#1)]; [(0#1); (7#1); (0#1)]; [(0#1); (0#1); (7#1)]])))); vm_compute; reflexivity. Qed.

(* claim procrustes-scaled (procrustes), verdict true
   the Procrustes distance is not invariant under isotropic scaling: d(X, T X) > 0 *)
Theorem claim_10_procrustes_scaled : procrustes_claim npoints (acts net_0 1%nat inputs) (acts net_2 1%nat inputs) None (Some (7#1)) None.
Proof. apply (procrustes_true _ _ _ _ _ _ ([], true) (3%nat, [[(1#1); (0#1); (0#1)]; [(1#12); (1#1); (0#1)]; [(-5#6); (-2#67); (1#1)]], [(126#1); (469#4); (1400#67)], [[(1#1); (1#12); (-5#6)]; [(0#1); (1#1); (-2#67)]; [(0#1); (0#1); (1#1)]])); vm_compute; reflexivity. Qed.

(* claim angular-scaled (angular_procrustes), verdict true
   the angular Procrustes distance is invariant under isotropic scaling: 0 *)
Theorem claim_11_angular_scaled : angular_claim npoints (acts net_0 1%nat inputs) (acts net_2 1%nat inputs) (Some (0#1)) None None.
Proof. apply (angular_true _ _ _ _ _ _ (2821#8) ([[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]], true) (0#1) (0#1) (0%nat, [], [], [])); vm_compute; reflexivity. Qed.

(* claim cka-shifted (cka), verdict true
   CKA is invariant under translation: CKA(X, T X) = 1 *)
Theorem claim_12_cka_shifted : cka_claim npoints (acts net_0 1%nat inputs) (acts net_3 1%nat inputs) (Some (1#1)) None None.
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim cca-shifted (cca), verdict true
   mean CCA is invariant under translation: CCA(X, T X) = 1 *)
Theorem claim_13_cca_shifted : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_3 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]])))); vm_compute; reflexivity. Qed.

(* claim pwcca-shifted (pwcca), verdict true
   PWCCA(X, T X) = 1 under translation (every correlation is 1) *)
Theorem claim_15_pwcca_shifted : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_3 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]])))); vm_compute; reflexivity. Qed.

(* claim procrustes-shifted (procrustes), verdict true
   the Procrustes distance is invariant under translation: d(X, T X) = 0 *)
Theorem claim_16_procrustes_shifted : procrustes_claim npoints (acts net_0 1%nat inputs) (acts net_3 1%nat inputs) (Some (0#1)) None None.
Proof. apply (procrustes_true _ _ _ _ _ _ ([[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]], true) (0%nat, [], [], [])); vm_compute; reflexivity. Qed.

(* claim angular-shifted (angular_procrustes), verdict true
   the angular Procrustes distance is invariant under translation: 0 *)
Theorem claim_17_angular_shifted : angular_claim npoints (acts net_0 1%nat inputs) (acts net_3 1%nat inputs) (Some (0#1)) None None.
Proof. apply (angular_true _ _ _ _ _ _ (403#8) ([[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]], true) (0#1) (0#1) (0%nat, [], [], [])); vm_compute; reflexivity. Qed.

(* claim cka-lin (cka), verdict true
   CKA is not invariant under an invertible linear map: CKA(X, T X) < 1 *)
Theorem claim_18_cka_lin : cka_claim npoints (acts net_0 1%nat inputs) (acts net_4 1%nat inputs) None None (Some (3#5)).
Proof. apply cka_true; vm_compute; reflexivity. Qed.

(* claim cca-lin (cca), verdict true
   mean CCA is invariant under an invertible linear map: CCA(X, T X) = 1 *)
Theorem claim_19_cca_lin : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_4 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(-8#17); (-27#17); (41#17)]; [(-1#1); (0#1); (2#1)]; [(-7#17); (-13#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(1#1); (2#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(1#1); (1#1); (1#1)]])))); vm_compute; reflexivity. Qed.

(* claim pwcca-lin (pwcca), verdict true
   PWCCA(X, T X) = 1 under an invertible linear map (every correlation is 1) *)
Theorem claim_21_pwcca_lin : cca_exact_claim npoints (acts net_0 1%nat inputs) (acts net_4 1%nat inputs) (1#1) (Some (1#1)) None None.
Proof. apply (cca_exact_true _ _ _ _ _ _ _ (Some (3%nat, 3%nat, ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(-8#17); (-27#17); (41#17)]; [(-1#1); (0#1); (2#1)]; [(-7#17); (-13#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]]), ([0%nat; 1%nat; 2%nat], [0%nat; 1%nat; 2%nat], [[(33#17); (-2#17); (41#17)]; [(1#1); (0#1); (2#1)]; [(14#17); (-6#17); (21#17)]], [[(1#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(0#1); (0#1); (1#1)]; [(1#1); (2#1); (0#1)]; [(0#1); (1#1); (0#1)]; [(1#1); (1#1); (1#1)]])))); vm_compute; reflexivity. Qed.

(* claim procrustes-lin (procrustes), verdict true
   the Procrustes distance is not invariant under an invertible linear map: d(X, T X) > 0 *)
Theorem claim_22_procrustes_lin : procrustes_claim npoints (acts net_0 1%nat inputs) (acts net_4 1%nat inputs) None (Some (7#1)) None.
Proof. apply (procrustes_true _ _ _ _ _ _ ([], true) (3%nat, [[(-747#256); (3723#2048); (1947#2048)]; [(-761#128); (-13993#8192); (-505#8192)]; [(631#256); (-8103#4096); (3817#4096)]], [(1#1); (1#1); (1#1)], [[(-56659968#8941907); (-19548160#8941907); (-20589568#8941907)]; [(12704512#8941907); (-20025600#8941907); (-15696384#8941907)]; [(-680704#8941907); (-7598848#8941907); (9143808#8941907)]])); vm_compute; reflexivity. Qed.

(* claim angular-lin (angular_procrustes), verdict true
   the angular Procrustes distance is not invariant under an invertible linear map *)
Theorem claim_23_angular_lin : angular_claim npoints (acts net_0 1%nat inputs) (acts net_4 1%nat inputs) None (Some (69#100)) None.
Proof. apply (angular_true _ _ _ _ _ _ (0#1) ([], true) (741354526013806329211#9223372036854775808) (332601960862093899492989#5365870468515009396736) (3%nat, [[(-747#256); (3723#2048); (1947#2048)]; [(-761#128); (-13993#8192); (-505#8192)]; [(631#256); (-8103#4096); (3817#4096)]], [(1#1); (1#1); (1#1)], [[(-56659968#8941907); (-19548160#8941907); (-20589568#8941907)]; [(12704512#8941907); (-20025600#8941907); (-15696384#8941907)]; [(-680704#8941907); (-7598848#8941907); (9143808#8941907)]])); vm_compute; reflexivity. Qed.

(* claim cca-wide (cca), verdict true
   CCA(X, Z) is about 0.95218 *)
Theorem claim_24_cca_wide : cca_claim npoints (acts net_0 1%nat inputs) (acts net_5 1%nat inputs) None (Some (9521#10000)) (Some (4761#5000)).
Proof. apply (cca_true _ _ _ _ _ _ (3%nat, [[(-71#1); (189#1); (119#1)]; [(253687232#1); (345182646#1); (-111351237#1)]; [(905357#1); (-9674#1); (986621#1)]], [(8380159#8); (4605974655258380652#1); (3053491954600#1)], [[(-22236#8380159); (187622575#127943740423843907); (7413#15267459773)]; [(793#288971); (6130606#4411853118063583); (-2659#15267459773)]; [(20630#8380159); (-170425619#127943740423843907); (8646#15267459773)]]) (4%nat, [[(-143#1); (182#1); (43#1); (-26#1)]; [(-423101501#1); (-402742446#1); (305917393#1); (333290982#1)]; [(539015410986723#1); (328330076561462#1); (-79398535010267#1); (337241587994246#1)]; [(-949670915#1); (-3829143192#1); (-3203727465#1); (2993814364#1)]], [(1047934#1); (4609410104105065328#1); (1270089481135554871957438954224#1); (53515111888269994744#1)], [[(-7025#2095868); (-117966699#576176263013133166); (70134872492873#105840790094629572663119912852); (-7792471#96250201237895674)]; [(7317#2095868); (-407303437#1152352526026266332); (17033445447871#26460197523657393165779978213); (-273991#96250201237895674)]; [(-3625#2095868); (820328119#576176263013133166); (31174024962301#105840790094629572663119912852); (-19894901#96250201237895674)]; [(3251#2095868); (1159902639#1152352526026266332); (35687928778348#26460197523657393165779978213); (4018774#48125100618947837)]]) ([[(1#1); (0#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1); (0#1)]; [(0#1); (0#1); (1#1); (0#1)]], false, [[(65489#65536); (0#1); (0#1); (0#1)]; [(0#1); (64323#65536); (0#1); (0#1)]; [(0#1); (0#1); (57393#65536); (0#1)]]) (3%nat, [[(324259430258119560659105815750169#317041860594970144136138588160); (-8357350110031123#36008871095009280); (175470424087485181824889#151214690115189462794240)]; [(-307899211724461423172819217278448589#634083721189940288272277176320); (-1225473549744095641006526801#576141937520148480); (-395938609855605334384755081389#302429380230378925588480)]; [(-641259166658052567076928672148427#317041860594970144136138588160); (-168204332523937115119#144035484380037120); (247223907963009365030736381973#151214690115189462794240)]], [(1#1); (1#1); (1#1)], [[(296445465745#289586708); (-150321076371456#72396677); (-74579176621674070016#72396677); (2249472118419413683195190543900919660310251#385064962413446398663938939044880269)]; [(-573395485#579173416); (-153928919609376768#72396677); (72126863270477824#72396677); (193645051365441095152823423985745712328657#770129924826892797327877878089760538)]; [(541947835#579173416); (-137405005824#72396677); (76369148987457518174208#72396677); (3801439501428799901344756893569318103464089#770129924826892797327877878089760538)]])); vm_compute; reflexivity. Qed.

(* claim cca-lin-wide (cca), verdict true
   CCA(T X, Z) is the same: 0.95218 (CCA depends on the span of X only) *)
Theorem claim_25_cca_lin_wide : cca_claim npoints (acts net_4 1%nat inputs) (acts net_5 1%nat inputs) None (Some (9521#10000)) (Some (4761#5000)).
Proof. apply (cca_true _ _ _ _ _ _ (3%nat, [[(-190#1); (451#1); (119#1)]; [(183554294#1); (-138651103#1); (-56001111#1)]; [(-16287#1); (-166666#1); (197308#1)]], [(1053286#1); (1157437152330334200#1); (122098013300#1)], [[(3005#1053286); (54409581#6430206401835190); (4157#6104900665)]; [(5783#2106572); (35550367#12860412803670380); (-5318#6104900665)]; [(5381#2106572); (39011977#12860412803670380); (26792#6104900665)]]) (4%nat, [[(-143#1); (182#1); (43#1); (-26#1)]; [(-423101501#1); (-402742446#1); (305917393#1); (333290982#1)]; [(539015410986723#1); (328330076561462#1); (-79398535010267#1); (337241587994246#1)]; [(-949670915#1); (-3829143192#1); (-3203727465#1); (2993814364#1)]], [(1047934#1); (4609410104105065328#1); (1270089481135554871957438954224#1); (53515111888269994744#1)], [[(-7025#2095868); (-117966699#576176263013133166); (70134872492873#105840790094629572663119912852); (-7792471#96250201237895674)]; [(7317#2095868); (-407303437#1152352526026266332); (17033445447871#26460197523657393165779978213); (-273991#96250201237895674)]; [(-3625#2095868); (820328119#576176263013133166); (31174024962301#105840790094629572663119912852); (-19894901#96250201237895674)]; [(3251#2095868); (1159902639#1152352526026266332); (35687928778348#26460197523657393165779978213); (4018774#48125100618947837)]]) ([[(1#1); (0#1); (0#1); (0#1)]; [(0#1); (1#1); (0#1); (0#1)]; [(0#1); (0#1); (1#1); (0#1)]], false, [[(65489#65536); (0#1); (0#1); (0#1)]; [(0#1); (64323#65536); (0#1); (0#1)]; [(0#1); (0#1); (57393#65536); (0#1)]]) (3%nat, [[(27095763936024262133882850057049#26420155049580845344678215680); (-306142704468434781#96023656253358080); (33155008323950868084267#37803672528797365698560)]; [(-266926265411558324894316176476988117#79260465148742536034034647040); (-307156584382174010283339217#288070968760074240); (-13590033445636083581482062517#37803672528797365698560)]; [(-190597570467154619220027902925167#634083721189940288272277176320); (-75193261921262800873#576141937520148480); (98872740964411993951191842033#302429380230378925588480)]], [(1#1); (1#1); (1#1)], [[(296445465745#289586708); (-150321076371456#72396677); (-74579176621674070016#72396677); (2249472118419413683195190543900919660310251#385064962413446398663938939044880269)]; [(-573395485#579173416); (-153928919609376768#72396677); (72126863270477824#72396677); (193645051365441095152823423985745712328657#770129924826892797327877878089760538)]; [(541947835#579173416); (-137405005824#72396677); (76369148987457518174208#72396677); (3801439501428799901344756893569318103464089#770129924826892797327877878089760538)]])); vm_compute; reflexivity. Qed.

