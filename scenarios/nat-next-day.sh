# The container-bridge story, the next day: forwarding alone (the replies die in the VPC router,
# which has no route back to the bridge subnet), then MASQUERADE (the pings succeed), then
# Docker's FORWARD policy DROP and the ACCEPT pair Docker adds for its bridge.
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
ip addr add 172.18.0.1/24 dev docker1
ip netns exec ns1 ip route add default via 172.18.0.1
ip netns exec ns2 ip route add default via 172.18.0.1
# Yesterday's end: the host does not forward.
sysctl net.ipv4.ip_forward
ip netns exec ns1 ping -c 2 -W 1 203.0.113.8
# Forwarding alone: the requests reach the world, the replies die in vpc.
sysctl -w net.ipv4.ip_forward=1
ip netns exec ns1 ping -c 2 -W 1 203.0.113.8
ip netns exec vpc ip route get 172.18.0.2
# Masquerade what leaves the bridge subnet by another link: the world sees the host's address.
iptables -t nat -A POSTROUTING -s 172.18.0.0/24 ! -o docker1 -j MASQUERADE
iptables -t nat -S
ip netns exec ns1 ping -c 2 -W 1 203.0.113.8
ip netns exec ns2 ping -c 1 -W 1 203.0.113.8
# Traffic inside the bridge subnet is not masqueraded.
ip netns exec ns1 ping -c 1 -W 1 172.18.0.3
# Docker's FORWARD policy: everything routed through the host is dropped...
iptables -P FORWARD DROP
ip netns exec ns1 ping -c 1 -W 1 203.0.113.8
# ...until the pair Docker adds: out of the bridge, and the replies back in.
iptables -A FORWARD -i docker1 ! -o docker1 -j ACCEPT
iptables -A FORWARD -o docker1 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
ip netns exec ns1 ping -c 2 -W 1 203.0.113.8
iptables -L FORWARD -n -v
iptables -t nat -L POSTROUTING -n -v
