// Registers the simulated proxmox service with the sim (see ../services.ts).
// Filled in by the proxmox part of the demo homelab.
export {};
