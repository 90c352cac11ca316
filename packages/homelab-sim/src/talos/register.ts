// Registers the simulated talos service with the sim (see ../services.ts).
// Filled in by the talos part of the demo homelab.
export {};
