/** The global options of `ip` that change what its objects print (iproute2 ip/ip.c). */
export interface IpOptions {
  /** `-4`: IPv4 only. */
  isIpv4Only: boolean;
  /** `-br`: one line per object, in columns. */
  isBrief: boolean;
  /** `-o`: one line per object, continuation lines joined with a backslash. */
  isOneline: boolean;
  /** `-d`: details such as the route type `unicast` and `proto boot`. */
  isDetailed: boolean;
}
