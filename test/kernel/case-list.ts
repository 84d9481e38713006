/**
 * Names of the recorded kernel cases that hoptrace must reproduce. Each name `NAME` refers to the
 * script `NAME.sh` and its kernel transcript `NAME.out` in the `kernel` folder of the `shared`
 * folder next to the repository, or in `test/kernel/cases`.
 *
 * Add a name once the simulator models everything the case uses; `recorded-cases.test.ts` then
 * compares the simulator's transcript with the kernel's, command by command.
 */
export const simulatedCases: readonly string[] = [
  "container-bridge",
  "show-shapes",
  "sysctl-errors",
  "ip-usage",
  "link-name-keywords",
  "link-set-changes",
  "link-down",
  "bridge-down",
  "bridge-l2",
  "loopback",
  "report-10-veth-host-end-down",
  "link-operstate",
  "bridge-id",
  "arp-fail",
  "forwarding",
  "rp-filter",
  "report-13-no-route-back",
  "route-types",
  "route-get",
  "gateway",
  "addr-errors",
  "cli-errors",
  "report-08-bridge-subnet-shadows-lan",
  "report-11-gateway-route-while-down",
  "route-default-table",
  "route-merged-local-main",
  "rules-selectors",
  "rules-unmerge-local",
  "route-throw-in-local",
  "report-07-policy-rule-catches-own-replies",
  "report-14-netmask-mismatch",
  "ping-opts",
  "traceroute-shapes",
  "traceroute-options",
  "report-01-bridge-forward-drop",
  "report-04-ip-forward-off",
  "report-05-uplink-forwarding-off",
  "report-02-docker-drop-policy-lxc",
  "nf-forward-policy",
  "nf-nat-counters",
  "nf-policy-counters",
  "ping-deadline-count",
  "ping-zero-lo-down",
  "sysctl-unknown-names",
];
