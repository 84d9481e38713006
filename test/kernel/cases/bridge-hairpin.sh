# Hairpin mode on a bridge port, as Docker sets it when a container reaches its own published
# port through the bridge address. should_deliver (net/bridge/br_forward.c) sends a frame back
# out of its ingress port only in hairpin mode, so a DNATed SYN from c1 to its own port 80
# dies at the bridge until "bridge link set dev va hairpin on". Hairpin mode also reflects a
# flooded frame, so c1 captures each of its ARP requests twice. c1 (172.21.0.2, the server)
# and c2 (172.21.0.3) on br-a (172.21.0.1), which publishes 8080 as c1's port 80 with Docker's
# hairpin MASQUERADE rule. Then the errors of bridge link set: keywords match exactly, a
# value may abbreviate off or on, and a link that is not a bridge port is EOPNOTSUPP.
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
ip netns exec c1 timeout 8 nc -l -k 80 >/dev/null 2>&1 & sleep 0.5
ip netns exec c1 nc -z -v -w 1 172.21.0.1 8080
bridge link set dev va hairpin on
bridge link show dev va
ip netns exec c1 nc -z -v -w 1 172.21.0.1 8080
ip netns exec c2 nc -z -v -w 1 172.21.0.1 8080
conntrack -L -p tcp
iptables -t nat -L POSTROUTING -n -v
ip netns exec c1 timeout 3 tcpdump -l -n -e -c 2 -i eth0 arp >/tmp/arp.txt 2>&1 & sleep 1
ip netns exec c1 ping -c 1 -W 1 172.21.0.9
sleep 3; cat /tmp/arp.txt
ip netns exec c1 ip neigh show 172.21.0.9
ip netns exec c1 ping -c 1 -W 1 172.21.0.3
bridge link set dev va hairpin of
ip netns exec c1 nc -z -v -w 1 172.21.0.1 8080
bridge link set dev va hairpin o
bridge link set dev va
bridge link set dev va hairpin On
bridge link set dev nosuch hairpin maybe
bridge link set dev nosuch hairpin on
bridge link set dev br-a hairpin on
bridge link set dev eth0 hairpin on
bridge link set dev va hair on
bridge link set dev va hairpin
bridge link set hairpin on
ip link add vz type veth peer name vz1
bridge link set dev vz hairpin on
