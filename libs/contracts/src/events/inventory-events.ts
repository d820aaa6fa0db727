/** Integration events on `inventory.events.v1`, written by rollout-command. Key: controllerId or entity id. */

export interface TargetCreatedV1 {
  targetId: number;
  controllerId: string;
  name: string;
  createdAt: number;
}

export interface InventoryEventMap {
  'TargetCreated.v1': TargetCreatedV1;
}
