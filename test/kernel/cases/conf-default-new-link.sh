# A link's net.ipv4.conf settings start as a copy of its namespace's conf.default, forwarding
# included, each time it registers in a namespace. That happens when it is created and again
# when it moves, which drops what was set on it before (net/ipv4/devinet.c: inetdev_init copies
# devconf_dflt, and a move runs inetdev_destroy and then inetdev_init). So a veth made on a
# forwarding host and moved into a router namespace does not forward there: the ping through r
# is lost and r counts IpInAddrErrors, not IpForwDatagrams.
sysctl -w net.ipv4.ip_forward=1
ip netns add a
ip netns add r
ip netns add b
ip netns exec r sysctl -qw net.ipv4.ip_forward=0
ip netns exec r sysctl -qw net.ipv4.conf.default.forwarding=0
ip netns exec r sysctl -qw net.ipv4.conf.default.rp_filter=0
ip link add ra type veth peer name eth0 netns a
ip link add rb type veth peer name eth0 netns b
sysctl -w net.ipv4.conf.ra.rp_filter=2
sysctl net.ipv4.conf.ra.forwarding net.ipv4.conf.ra.rp_filter
ip link set ra netns r
ip link set rb netns r
ip netns exec r sysctl net.ipv4.ip_forward net.ipv4.conf.ra.forwarding net.ipv4.conf.rb.forwarding net.ipv4.conf.ra.rp_filter
ip netns exec r ip addr add 10.1.0.1/24 dev ra
ip netns exec r ip addr add 10.2.0.1/24 dev rb
ip netns exec r ip link set ra up
ip netns exec r ip link set rb up
ip netns exec a ip addr add 10.1.0.2/24 dev eth0
ip netns exec a ip link set eth0 up
ip netns exec a ip route add default via 10.1.0.1
ip netns exec b ip addr add 10.2.0.2/24 dev eth0
ip netns exec b ip link set eth0 up
ip netns exec b ip route add default via 10.2.0.1
ip netns exec a ping -c 1 -W 1 10.2.0.2
ip netns exec r nstat -az IpInAddrErrors IpForwDatagrams
# Here conf.default.forwarding is written on its own, so all.forwarding stays 0. A new link
# copies the default, not all.
sysctl -w net.ipv4.conf.all.forwarding=0
sysctl -w net.ipv4.conf.default.forwarding=1
ip link add v0 type veth peer name v1
sysctl net.ipv4.conf.all.forwarding net.ipv4.conf.v0.forwarding net.ipv4.conf.v1.forwarding
ip netns exec r sysctl -w net.ipv4.conf.default.forwarding=1
ip link set v1 netns r
ip netns exec r sysctl net.ipv4.ip_forward net.ipv4.conf.v1.forwarding
