# MASQUERADE drops the flows it bound to an address when that address is deleted, and all the
# flows it bound on a link when the link goes down.
ip netns add u
ip netns add c
ip link add v0 type veth peer name p0 netns u
ip link add vc type veth peer name pc netns c
ip link set v0 up
ip link set vc up
ip netns exec u ip link set p0 up
ip netns exec c ip link set pc up
sysctl -qw net.ipv4.ip_forward=1
ip addr add 192.0.2.1/24 dev v0
ip addr add 198.51.100.1/24 dev v0
ip addr add 172.16.0.1/24 dev vc
ip netns exec c ip addr add 172.16.0.2/24 dev pc
ip netns exec c ip route add default via 172.16.0.1
ip netns exec u ip addr add 198.51.100.2/24 dev p0
ip netns exec u ip addr add 192.0.2.2/24 dev p0
iptables -t nat -A POSTROUTING -o v0 -j MASQUERADE
ip netns exec c ping -c 1 -W 1 198.51.100.2
ip netns exec c ping -c 1 -W 1 192.0.2.2
conntrack -L
ip addr del 198.51.100.1/24 dev v0
conntrack -L
ip link set v0 down
conntrack -L
