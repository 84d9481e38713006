# A nat chain whose rules have no NAT target does not turn connection tracking on, so its rules
# never see a packet. A NAT target anywhere does, and from then on the chain counts new flows.
ip netns add ns2
ip link add v0 type veth peer name eth0 netns ns2
ip addr add 192.0.2.1/24 dev v0
ip link set v0 up
ip netns exec ns2 ip addr add 192.0.2.2/24 dev eth0
ip netns exec ns2 ip link set eth0 up
iptables -t nat -A PREROUTING -p icmp
ip netns exec ns2 ping -c 1 -W 1 192.0.2.1
iptables -t nat -L PREROUTING -v -n -x
conntrack -L
iptables -t nat -A POSTROUTING -o v0 -d 198.51.100.0/24 -j MASQUERADE
ip netns exec ns2 ping -c 1 -W 1 192.0.2.1
iptables -t nat -L PREROUTING -v -n -x
conntrack -L
