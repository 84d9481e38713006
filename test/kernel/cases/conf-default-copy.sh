# A write to net.ipv4.conf.default.KEY is copied to every link of the namespace that has not
# pinned KEY (net/ipv4/devinet.c: devinet_conf_proc sets the key's bit in the written conf's
# state and calls devinet_copy_dflt_conf). A link pins a key when the key is written on it, and
# every key once an IPv4 address is added to it or, for lo, when it comes up
# (ipv4_devconf_setall). A new link copies conf.default with its state bits (inetdev_init), so
# it starts with the keys written on the default pinned. The forwarding and
# promote_secondaries handlers neither copy nor pin. The case assumes that the machine's own
# conf.default keys were never written, because a new namespace copies their bits too.
ip link add v0 type veth peer name v1
ip link add v2 type veth peer name v3
ip addr add 10.9.0.1/24 dev v2
sysctl -w net.ipv4.conf.v1.rp_filter=0
sysctl -w net.ipv4.conf.default.rp_filter=2
sysctl -w net.ipv4.conf.default.arp_ignore=1
sysctl -w net.ipv4.conf.default.promote_secondaries=1
sysctl -w net.ipv4.conf.default.accept_local=1
sysctl -w net.ipv4.conf.default.send_redirects=0
sysctl -w net.ipv4.conf.default.forwarding=1
sysctl net.ipv4.conf.v0.rp_filter net.ipv4.conf.v0.arp_ignore net.ipv4.conf.v0.promote_secondaries net.ipv4.conf.v0.accept_local net.ipv4.conf.v0.send_redirects net.ipv4.conf.v0.forwarding
sysctl net.ipv4.conf.v1.rp_filter net.ipv4.conf.v1.arp_ignore
sysctl net.ipv4.conf.v2.rp_filter net.ipv4.conf.v2.arp_ignore net.ipv4.conf.v2.send_redirects
sysctl net.ipv4.conf.v3.rp_filter net.ipv4.conf.v3.accept_local
# v4 starts with rp_filter pinned, but not ignore_routes_with_linkdown.
ip link add v4 type veth peer name v5
sysctl -w net.ipv4.conf.default.rp_filter=1
sysctl -w net.ipv4.conf.default.ignore_routes_with_linkdown=1
sysctl -w net.ipv4.conf.default.forwarding=0
sysctl -w net.ipv4.conf.default.forwarding=1
sysctl net.ipv4.conf.v0.rp_filter net.ipv4.conf.v4.rp_filter net.ipv4.conf.v4.ignore_routes_with_linkdown net.ipv4.conf.v4.forwarding
# lo of a new namespace takes the default while it is down, and pins every key when it comes up.
ip netns add x
ip netns exec x sysctl -w net.ipv4.conf.default.rp_filter=1
ip netns exec x sysctl net.ipv4.conf.lo.rp_filter
ip netns exec x ip link set lo up
ip netns exec x sysctl -w net.ipv4.conf.default.rp_filter=2
ip netns exec x sysctl net.ipv4.conf.lo.rp_filter
# A router whose default is written after its links exist and before they get addresses
# applies strict rp_filter on them, so r drops b's echo request from a source it routes to ra.
ip netns add r
ip netns add b
ip netns exec r ip link add ra type veth peer name rb
ip netns exec r ip link set rb netns b
ip netns exec r ip link add rc type veth peer name rd
ip netns exec r sysctl -qw net.ipv4.conf.all.rp_filter=0
ip netns exec r sysctl -w net.ipv4.conf.default.rp_filter=1
ip netns exec r ip addr add 10.1.0.1/24 dev rc
ip netns exec r ip addr add 10.2.0.1/24 dev ra
ip netns exec r ip link set ra up
ip netns exec r ip link set rc up
ip netns exec r ip link set rd up
ip netns exec r sysctl net.ipv4.conf.ra.rp_filter net.ipv4.conf.rc.rp_filter
ip netns exec b ip addr add 10.2.0.2/24 dev rb
ip netns exec b ip addr add 10.1.0.50/32 dev lo
ip netns exec b ip link set lo up
ip netns exec b ip link set rb up
ip netns exec b ping -c 1 -W 1 -I 10.1.0.50 10.2.0.1
ip netns exec r nstat -az IcmpInEchos IcmpOutEchoReps
