# traceroute whose probes its own OUTPUT chain drops or rejects: the failed sends do not count
# in UdpOutDatagrams, while probes a router drops in FORWARD do.
ip netns add c
ip netns add r
ip netns add s
ip link add c0 type veth peer name rc netns r
ip link set c0 netns c
ip netns exec r ip link add rs type veth peer name s0 netns s
ip netns exec c ip addr add 10.0.1.2/24 dev c0
ip netns exec r ip addr add 10.0.1.1/24 dev rc
ip netns exec r ip addr add 10.0.2.1/24 dev rs
ip netns exec s ip addr add 10.0.2.2/24 dev s0
ip netns exec c ip link set c0 up
ip netns exec r ip link set rc up
ip netns exec r ip link set rs up
ip netns exec s ip link set s0 up
ip netns exec c ip link set lo up
ip netns exec s ip link set lo up
ip netns exec c ip route add default via 10.0.1.1
ip netns exec s ip route add default via 10.0.2.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec c traceroute -n -q 1 -w 1 -m 3 10.0.2.2
ip netns exec c nstat -az UdpOutDatagrams
ip netns exec c iptables -A OUTPUT -p udp --dport 33435 -j DROP
ip netns exec c traceroute -n -q 1 -w 1 -m 3 10.0.2.2
ip netns exec c nstat -az UdpOutDatagrams
ip netns exec c iptables -R OUTPUT 1 -p udp --dport 33436 -j DROP
ip netns exec c traceroute -n -q 1 -w 1 -m 3 10.0.2.2
ip netns exec c nstat -az UdpOutDatagrams
ip netns exec c traceroute -n -q 1 -w 1 -m 3 -N 1 10.0.2.2
ip netns exec c nstat -az UdpOutDatagrams
ip netns exec c iptables -R OUTPUT 1 -p udp --dport 33436 -j REJECT
ip netns exec c traceroute -n -q 1 -w 1 -m 3 -N 1 10.0.2.2
ip netns exec c nstat -az UdpOutDatagrams
ip netns exec c iptables -F OUTPUT
ip netns exec c traceroute -n -q 1 -w 1 -m 3 10.0.2.2
ip netns exec c nstat -az UdpOutDatagrams
ip netns exec c iptables -A OUTPUT -p icmp -j DROP
ip netns exec c traceroute -I -n -q 1 -w 1 -m 3 10.0.2.2
ip netns exec c nstat -az UdpOutDatagrams
ip netns exec c iptables -F OUTPUT
ip netns exec c iptables -A OUTPUT -p tcp -j DROP
ip netns exec c traceroute -T -n -q 1 -w 1 -m 3 10.0.2.2
ip netns exec c nstat -az UdpOutDatagrams
ip netns exec c iptables -F OUTPUT
# the router drops them in FORWARD: no send error, just stars
ip netns exec r iptables -A FORWARD -p udp -j DROP
ip netns exec c traceroute -n -q 1 -w 1 -m 3 10.0.2.2
ip netns exec c nstat -az UdpOutDatagrams
ip netns exec c nstat -az UdpOutDatagrams
