/**
 * Names of the recorded kernel cases that hoptrace must reproduce. Each name `NAME` refers to the
 * script `NAME.sh` and its kernel transcript `NAME.out` in the `kernel` folder of the `shared`
 * folder next to the repository.
 *
 * Add a name once the simulator models everything the case uses; `recorded-cases.test.ts` then
 * compares the simulator's transcript with the kernel's, command by command.
 */
export const simulatedCases: readonly string[] = [
  "container-bridge",
  "arp-fail",
  "forwarding",
  "rp-filter",
  "report-13-no-route-back",
];
