// Each simulated service registers itself (imported for the side effect by
// HomelabSim). Import order is start order.
import './proxmox/register';
import './talos/register';
import './kubernetes/register';
import './forge/register';
