# Zeroing a built-in chain gives its policy counters, as setting a policy does; zeroing one
# rule does not.
ip netns add ns2
ip link add v0 type veth peer name eth0 netns ns2
ip addr add 192.0.2.1/24 dev v0
ip link set v0 up
ip netns exec ns2 ip addr add 192.0.2.2/24 dev eth0
ip netns exec ns2 ip link set eth0 up
iptables -A INPUT -p udp
iptables -A OUTPUT -p udp
iptables -Z OUTPUT 1
iptables -Z INPUT
ip netns exec ns2 ping -c 1 -W 1 192.0.2.1
iptables -L INPUT -v -n -x
iptables -L OUTPUT -v -n -x
iptables -t filter -Z
ping -c 1 -W 1 192.0.2.2
iptables -L OUTPUT -v -n -x
iptables -L FORWARD -v -n -x
