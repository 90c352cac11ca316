// Registers the simulated kubernetes service with the sim (see ../services.ts).
// Filled in by the kubernetes part of the demo homelab.
export {};
