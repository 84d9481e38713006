# ip link set PORT type bridge_slave hairpin on|off, the ip form of "bridge link set dev PORT
# hairpin on": iplink_parse hands every word after "type bridge_slave" to
# bridge_slave_parse_opt, and rtnl_newlink rejects port options for a link that is not a bridge
# port with EOPNOTSUPP. c1 (172.21.0.2) reaches its own port 80 through br-a's published port
# 8080 only while its port va is in hairpin mode, as in the case bridge-hairpin. Then the errors:
# an invalid value, a missing value, an unknown option (words after the options are options
# too) and a link that is not a port.
mount -t tmpfs tmpfs /tmp
ip netns add c1
ip netns add c2
ip link add br-a type bridge
ip link set br-a up
ip addr add 172.21.0.1/24 dev br-a
ip link add va type veth peer name eth0 netns c1
ip link add vb type veth peer name eth0 netns c2
ip link set va master br-a
ip link set vb master br-a
ip link set va up
ip link set vb up
ip netns exec c1 ip addr add 172.21.0.2/24 dev eth0
ip netns exec c1 ip link set eth0 up
ip netns exec c1 ip link set lo up
ip netns exec c1 ip route add default via 172.21.0.1
ip netns exec c2 ip addr add 172.21.0.3/24 dev eth0
ip netns exec c2 ip link set eth0 up
sysctl -w net.ipv4.ip_forward=1
sysctl -w net.bridge.bridge-nf-call-iptables=1
iptables -t nat -A PREROUTING -d 172.21.0.1/32 -p tcp --dport 8080 -j DNAT --to-destination 172.21.0.2:80
iptables -t nat -A POSTROUTING -s 172.21.0.2/32 -d 172.21.0.2/32 -p tcp --dport 80 -j MASQUERADE
ip netns exec c1 timeout 10 nc -l -k 80 >/dev/null 2>&1 & sleep 0.5
ip netns exec c1 nc -z -v -w 1 172.21.0.1 8080
ip link set va type bridge_slave hairpin on
ip netns exec c1 nc -z -v -w 1 172.21.0.1 8080
ip link set va type bridge_slave hairpin off
ip netns exec c1 nc -z -v -w 1 172.21.0.1 8080
ip link set dev va up type bridge_slave hairpin on
ip netns exec c1 nc -z -v -w 1 172.21.0.1 8080
ip link set va type bridge_slave
ip link set va type bridge_slave hairpin maybe
ip link set va type bridge_slave hairpin
ip link set va type bridge_slave bogus on
ip link set va type bridge_slave hairpin on up
ip link set br-a type bridge_slave hairpin on
ip link add vz type veth peer name vz1
ip link set vz type bridge_slave hairpin on
ip link set nosuch type bridge_slave hairpin on
ip link set type bridge_slave hairpin on
