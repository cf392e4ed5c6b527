"""ReLU networks as functions: linear regions, exact LP pruning and equality of network functions."""
