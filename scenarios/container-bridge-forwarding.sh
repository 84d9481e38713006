# The container-bridge story, then the next morning: the host forwards. Pings to the outside
# world are now forwarded but still lost, because the VPC router has no route back to the
# bridge subnet (that needs NAT, or a route in the VPC).
# The host's uplink: ens5 to a VPC router, which leads to the outside world.
ip netns add vpc
ip netns add world
ip link add ens5 type veth peer name vpc0 netns vpc
ip addr add 172.31.59.121/20 dev ens5
ip link set ens5 up
ip netns exec vpc ip addr add 172.31.48.1/20 dev vpc0
ip netns exec vpc ip link set vpc0 up
ip netns exec vpc ip link set lo up
ip netns exec vpc ip link add wan0 type veth peer name eth0 netns world
ip netns exec vpc ip addr add 198.51.100.1/24 dev wan0
ip netns exec vpc ip link set wan0 up
ip netns exec vpc sysctl -qw net.ipv4.ip_forward=1
ip netns exec world ip addr add 198.51.100.2/24 dev eth0
ip netns exec world ip addr add 203.0.113.8/32 dev lo
ip netns exec world ip link set eth0 up
ip netns exec world ip link set lo up
ip netns exec world ip route add default via 198.51.100.1
ip netns exec vpc ip route add 203.0.113.8/32 via 198.51.100.2
ip route add default via 172.31.48.1 dev ens5
# Yesterday's layout: ns1 and ns2 on the bridge docker1.
ip netns add ns1
ip netns add ns2
ip link add veth0 type veth peer name veth0-br
ip link add veth1 type veth peer name veth1-br
ip link set veth0 netns ns1
ip link set veth1 netns ns2
ip link add docker1 type bridge
ip link set docker1 up
ip link set veth0-br master docker1
ip link set veth1-br master docker1
ip link set veth0-br up
ip link set veth1-br up
ip netns exec ns1 ip addr add 172.18.0.2/24 dev veth0
ip netns exec ns2 ip addr add 172.18.0.3/24 dev veth1
ip netns exec ns1 ip link set veth0 up
ip netns exec ns2 ip link set veth1 up
ip netns exec ns1 ip link set lo up
ip netns exec ns2 ip link set lo up
ip netns exec ns1 ping -c 2 -W 1 172.18.0.3
# Today: nothing leaves the namespace.
ip netns exec ns1 ping -c 2 -W 1 172.31.59.121
ip netns exec ns1 ping -c 2 -W 1 203.0.113.8
ip netns exec ns1 ip route show
ip netns exec ns1 route -n
route -n
ping -c 2 -W 1 172.18.0.2
# Give the bridge an address: the host reaches the namespaces.
ip addr add 172.18.0.1/24 dev docker1
route -n
ping -c 2 -W 1 172.18.0.2
ping -c 2 -W 1 172.18.0.3
ip netns exec ns1 ping -c 2 -W 1 172.31.59.121
# A default route in ns1: the host answers, the outside world does not.
ip netns exec ns1 ip route add default via 172.18.0.1
ip netns exec ns1 ip route list
ip netns exec ns1 route -n
ip netns exec ns1 ping -c 2 -W 1 172.31.59.121
ip netns exec ns1 ping -c 2 -W 1 203.0.113.8
# The next morning: the host forwards. The outside world now gets the pings, but its replies
# to 172.18.0.2 die in the VPC router, which has no route back to the bridge subnet.
sysctl -w net.ipv4.ip_forward=1
ip netns exec ns1 ping -c 2 -W 1 203.0.113.8
