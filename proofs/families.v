(* symrep: 9 parametric claims, none stated in Coq yet (docs/parametric.md). *)
