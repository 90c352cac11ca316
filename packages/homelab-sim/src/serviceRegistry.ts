// Each simulated service registers itself here (imported for its side effect
// by HomelabSim). Order is start order.
export {};
