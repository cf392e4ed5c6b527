(* symrep: 10 parametric claims, none stated in Coq yet (docs/parametric.md). *)
