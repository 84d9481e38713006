# DNAT of a frame that enters a bridge: Docker's published port reached from another
# container on the same bridge. ns1 (172.18.0.2) runs the web server on port 80, ns2
# (172.18.0.3) is the client, both on docker1 (172.18.0.1); the host's uplink ens5 has
# 172.31.59.121. br_netfilter runs nat PREROUTING for the frame as it enters veth1-br, and
# br_nf_pre_routing_finish routes the rewritten packet again.
# Probes: port 8080 on the bridge's address and on the uplink address, with ip_forward 0
# and 1, with and without Docker's MASQUERADE rule for the bridge subnet; the conntrack
# entries and nat counters; a ping DNATed to another container.
ip netns add vpc
ip link add ens5 type veth peer name vpc0 netns vpc
ip addr add 172.31.59.121/20 dev ens5
ip link set ens5 up
ip netns exec vpc ip addr add 172.31.48.1/20 dev vpc0
ip netns exec vpc ip link set vpc0 up
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
ip addr add 172.18.0.1/24 dev docker1
ip netns exec ns1 ip addr add 172.18.0.2/24 dev veth0
ip netns exec ns1 ip link set veth0 up
ip netns exec ns1 ip link set lo up
ip netns exec ns1 ip route add default via 172.18.0.1
ip netns exec ns2 ip addr add 172.18.0.3/24 dev veth1
ip netns exec ns2 ip link set veth1 up
ip netns exec ns2 ip link set lo up
ip netns exec ns2 ip route add default via 172.18.0.1
ip netns exec ns1 timeout 5 nc -l -k 80 >/dev/null 2>&1 & sleep 0.5
# The port forwards, one per address; no MASQUERADE yet, ip_forward 0.
iptables -t nat -A PREROUTING -d 172.18.0.1/32 -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80
iptables -t nat -A PREROUTING -d 172.31.59.121/32 -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.2:80
sysctl net.ipv4.ip_forward
ip netns exec ns2 nc -z -v -w 2 172.18.0.1 8080
ip netns exec ns2 nc -z -v -w 2 172.31.59.121 8080
conntrack -L -p tcp
conntrack -F
sysctl -w net.ipv4.ip_forward=1
ip netns exec ns2 nc -z -v -w 2 172.18.0.1 8080
ip netns exec ns2 nc -z -v -w 2 172.31.59.121 8080
conntrack -L -p tcp
conntrack -F
# Docker's outgoing MASQUERADE for the subnet, and its hairpin MASQUERADE.
iptables -t nat -A POSTROUTING -s 172.18.0.0/24 ! -o docker1 -j MASQUERADE
ip netns exec ns2 nc -z -v -w 2 172.31.59.121 8080
conntrack -L -p tcp
conntrack -F
iptables -t nat -A POSTROUTING -s 172.18.0.2/32 -d 172.18.0.2/32 -p tcp --dport 80 -j MASQUERADE
ip netns exec ns1 nc -z -v -w 2 172.31.59.121 8080
ip netns exec ns1 nc -z -v -w 2 172.18.0.1 8080
conntrack -L -p tcp
conntrack -F
sysctl -w net.ipv4.ip_forward=0
ip netns exec ns2 nc -z -v -w 2 172.31.59.121 8080
iptables -t nat -L -n -v
# ICMP has no ports: DNAT a ping for the bridge's address to ns1.
iptables -t nat -A PREROUTING -d 172.18.0.1/32 -p icmp -j DNAT --to-destination 172.18.0.2
ip netns exec ns2 ping -c 1 -W 1 172.18.0.1
conntrack -L -p icmp
sysctl -w net.ipv4.ip_forward=1
ip netns exec ns2 ping -c 1 -W 1 172.18.0.1
conntrack -L -p icmp
ip netns exec ns2 ip neigh show
# DNAT to the host's own address goes up to the IP stack (no listener on port 22: a reset,
# translated back); DNAT to an address out of ens5 is forwarded there, and Docker's
# MASQUERADE applies because the packet leaves by ens5.
iptables -t nat -A PREROUTING -d 172.18.0.1/32 -p tcp --dport 9090 -j DNAT --to-destination 172.31.59.121:22
iptables -t nat -A PREROUTING -d 172.18.0.1/32 -p tcp --dport 9091 -j DNAT --to-destination 172.31.48.1:80
ip netns exec ns2 nc -z -v -w 2 172.18.0.1 9090
ip netns exec ns2 nc -z -v -w 2 172.18.0.1 9091
conntrack -L -p tcp
