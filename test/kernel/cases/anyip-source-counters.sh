# Sources that the route lookup rejects: AnyIP in main once rules split the tables; REJECT tcp-reset in OUTPUT.
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
ip netns exec r ip route add 10.9.0.0/24 via 10.0.2.2
ip netns exec s ip route add local 10.9.0.0/24 dev lo table main
ip netns exec s ip route add 10.0.1.0/24 via 10.0.2.1 src 10.9.0.5
ip netns exec s ip route get 10.0.1.2
ip netns exec s ip route get 10.0.1.2 from 10.9.0.5
ip netns exec c ping -c 1 -W 1 10.9.0.5
ip netns exec c nc -z -v -w 1 10.9.0.5 80
ip netns exec s ping -c 1 -W 1 10.0.1.2
ip netns exec s ip rule add from 192.0.2.1 lookup 100
ip netns exec s ip route get 10.0.1.2
ip netns exec s ip route get 10.0.1.2 from 10.9.0.5
ip netns exec s ip route get 10.0.1.2 from 10.9.0.5 oif s0
ip netns exec s ip route get 10.0.1.2 from 10.0.2.99 oif s0
ip netns exec s ping -c 1 -W 1 10.0.1.2
ip netns exec s ping -c 1 -W 1 -I 10.0.2.2 10.0.1.2
ip netns exec s nc -z -v -w 1 10.0.1.2 80
ip netns exec s traceroute -n -q 1 -w 1 -m 2 10.0.1.2
ip netns exec c ping -c 1 -W 1 10.9.0.5
ip netns exec c nc -z -v -w 2 10.9.0.5 80
ip netns exec c traceroute -n -q 1 -w 1 -m 3 10.9.0.5
ip netns exec s nstat -az TcpOutRsts IcmpOutEchoReps IpOutNoRoutes
ip netns exec s ip route add local 10.9.0.0/24 dev lo
ip netns exec c ping -c 1 -W 1 10.9.0.5
ip netns exec c nc -z -v -w 1 10.9.0.5 80
ip netns exec s ping -c 1 -W 1 10.0.1.2
# REJECT --reject-with tcp-reset in the client's own OUTPUT chain
ip netns exec c iptables -A OUTPUT -p tcp --dport 80 -j REJECT --reject-with tcp-reset
ip netns exec c nc -z -v -w 1 10.0.2.2 80
ip netns exec c iptables -L OUTPUT -v -n -x
