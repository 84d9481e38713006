# traceroute -T: TCP SYN probes (port 80 unless -p). The destination answers with SYN-ACK or a
# reset, either of which ends the trace; routers answer with time exceeded; a DROP gives stars,
# a REJECT with icmp-host-prohibited gives !X... as -I and UDP do.
ip netns add a
ip netns add r
ip netns add b
ip link add a0 netns a type veth peer name ra netns r
ip link add b0 netns b type veth peer name rb netns r
ip -n a addr add 10.1.0.2/24 dev a0
ip -n r addr add 10.1.0.1/24 dev ra
ip -n r addr add 10.2.0.1/24 dev rb
ip -n b addr add 10.2.0.2/24 dev b0
ip -n a link set a0 up
ip -n r link set ra up
ip -n r link set rb up
ip -n b link set b0 up
ip -n b link set lo up
ip -n a route add default via 10.1.0.1
ip -n b route add default via 10.2.0.1
ip netns exec r sysctl -qw net.ipv4.ip_forward=1
ip netns exec a traceroute -n -T -q 1 -w 1 10.2.0.2
ip netns exec b timeout 5 nc -l -k 8080 >/dev/null 2>&1 & sleep 0.5
ip netns exec a traceroute -n -T -p 8080 -q 2 -w 1 10.2.0.2
ip netns exec a traceroute -n --tcp -m 1 -q 1 -w 1 10.2.0.2
ip netns exec b iptables -A INPUT -p tcp --dport 80 -j DROP
ip netns exec a traceroute -n -T -m 3 -q 1 -w 1 10.2.0.2
ip netns exec r iptables -A FORWARD -p tcp --dport 81 -j REJECT --reject-with icmp-host-prohibited
ip netns exec a traceroute -n -T -p 81 -m 3 -q 1 -w 1 10.2.0.2
