# traceroute through MASQUERADE (UDP flows now tracked) to an address on the target's lo: the
# port unreachable comes from the probed address, not from the route back's source.
# ns1 (172.18.0.2) behind bridge docker1 on the host, uplink ens5 to world (192.0.2.2 and 203.0.113.8 on lo).
ip netns add world
ip netns add ns1
ip link add ens5 type veth peer name eth0 netns world
ip addr add 192.0.2.10/24 dev ens5
ip addr add 192.0.2.11/24 dev ens5
ip link set ens5 up
ip netns exec world ip addr add 192.0.2.2/24 dev eth0
ip netns exec world ip addr add 203.0.113.8/32 dev lo
ip netns exec world ip link set eth0 up
ip netns exec world ip link set lo up
ip route add default via 192.0.2.2
ip link add veth0 type veth peer name veth0-br
ip link set veth0 netns ns1
ip link add docker1 type bridge
ip link set veth0-br master docker1
ip addr add 172.18.0.1/24 dev docker1
ip link set docker1 up
ip link set veth0-br up
ip netns exec ns1 ip addr add 172.18.0.2/24 dev veth0
ip netns exec ns1 ip link set veth0 up
ip netns exec ns1 ip link set lo up
ip netns exec ns1 ip route add default via 172.18.0.1
sysctl -qw net.ipv4.ip_forward=1
iptables -t nat -A POSTROUTING -s 172.18.0.0/24 ! -o docker1 -j MASQUERADE
ip netns exec ns1 traceroute -n -w 1 -q 1 -m 4 203.0.113.8
ip netns exec ns1 traceroute -n -w 1 -q 1 -m 4 -p 9999 192.0.2.2
ip netns exec world nstat -az UdpNoPorts IcmpOutDestUnreachs
