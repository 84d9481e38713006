# An address that a local route for a whole prefix serves (AnyIP) counts as local: ICMP errors
# about packets sent to it come from it, and -m addrtype matches it as LOCAL.
ip netns add peer
ip link add v0 type veth peer name v1
ip link set v1 netns peer
ip link set v0 up
ip -n peer link set v1 up
ip addr add 192.0.2.1/24 dev v0
ip -n peer addr add 192.0.2.2/24 dev v1
ip -n peer route add local 10.0.0.0/8 dev lo
ip route add 10.0.0.0/8 via 192.0.2.2
traceroute -n -q 1 -w 1 10.9.9.9
ip netns exec peer iptables -A INPUT -p icmp -m addrtype ! --dst-type LOCAL -j DROP
ping -c 1 -W 1 10.9.9.9
ip netns exec peer iptables -A INPUT -p icmp -m addrtype --dst-type LOCAL -j DROP
ping -c 1 -W 1 10.9.9.9
