// Registers the simulated forge service with the sim (see ../services.ts).
// Filled in by the forge part of the demo homelab.
export {};
