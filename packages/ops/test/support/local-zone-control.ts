/**
 * The local stack's ZoneControl: `scripts/local-stack/zone down|up <i>` (or `cut|join`) on a
 * private layout stack, and healing as MinIO itself reports it (`mc admin info`: every drive
 * online). The zone suite hands it to the same checkZoneLoss the drill runs with KubeZoneControl.
 */
import type { LayoutStack } from './layout-stack.js';
import type { HealStatus, ZoneControl } from '../../src/zone-loss/control.js';

export class LocalStackZoneControl implements ZoneControl {
  /** Zones this control took away and has not brought back. */
  private readonly away = new Set<number>();

  constructor(private readonly stack: LayoutStack, private readonly loss: 'down' | 'cut' = 'down') {}

  describe(zone: number): string {
    return `${this.stack.plan.aws.availabilityZones[zone]} (zone ${zone}, local stack)`;
  }

  async down(zone: number): Promise<void> {
    this.away.add(zone);
    await this.stack.zone(this.loss, zone);
  }

  async up(zone: number): Promise<void> {
    await this.stack.zone(this.loss === 'cut' ? 'join' : 'up', zone);
    this.away.delete(zone);
  }

  /** `zone up` returned once MinIO counted every drive online; every server's view converges after it. */
  async healStatus(): Promise<HealStatus> {
    const total = this.stack.plan.minio.totals.drives;
    const info = await this.stack.mc(['admin', 'info', 'local', '--json']);
    if (info.code !== 0) return { healed: false, detail: `mc admin info: ${(info.stderr || info.stdout).trim().split('\n').pop()}` };
    const backend = (JSON.parse(info.stdout) as { info?: { backend?: { onlineDisks?: number; offlineDisks?: number } } }).info?.backend ?? {};
    const online = backend.onlineDisks ?? 0;
    const offline = backend.offlineDisks ?? 0;
    return { healed: online === total && offline === 0, detail: `${online}/${total} drives online, ${offline} offline` };
  }

  async restore(): Promise<void> {
    for (const zone of [...this.away]) await this.up(zone);
  }
}
