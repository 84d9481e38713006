# A direction without a type in a tcpdump filter ("src 10.9.0.2") means a host, because
# pcap-filter assumes `host` when the type qualifier is missing. A short address such as
# "src 10.9" is promoted to the network 10.9.0.0/16. n1 (10.9.0.2) and n2 (10.9.0.3) on bridge br0
# (10.9.0.1). Probes: captures on the bridge with "icmp and src ADDR", "dst ADDR and icmp" and
# "src 10.9 and icmp", each while n1 pings n2 and the bridge.
mount -t tmpfs tmpfs /tmp
ip netns add n1
ip netns add n2
ip link add br0 type bridge
ip link set br0 up
ip link add v1 type veth peer name p1 netns n1
ip link add v2 type veth peer name p2 netns n2
ip link set v1 master br0
ip link set v2 master br0
ip link set v1 up
ip link set v2 up
ip addr add 10.9.0.1/24 dev br0
ip netns exec n1 ip addr add 10.9.0.2/24 dev p1
ip netns exec n1 ip link set p1 up
ip netns exec n2 ip addr add 10.9.0.3/24 dev p2
ip netns exec n2 ip link set p2 up
ip netns exec n1 ping -c 1 -W 1 10.9.0.3
ip netns exec n1 ping -c 1 -W 1 10.9.0.1
timeout 3 tcpdump -l -n -i br0 'icmp and src 10.9.0.2' >/tmp/src.txt 2>&1 & sleep 1
ip netns exec n1 ping -c 1 -W 1 10.9.0.3
ip netns exec n1 ping -c 1 -W 1 10.9.0.1
sleep 3; cat /tmp/src.txt
timeout 3 tcpdump -l -n -i br0 dst 10.9.0.3 and icmp >/tmp/dst.txt 2>&1 & sleep 1
ip netns exec n1 ping -c 1 -W 1 10.9.0.3
ip netns exec n1 ping -c 1 -W 1 10.9.0.1
sleep 3; cat /tmp/dst.txt
timeout 3 tcpdump -l -n -i br0 src 10.9 and icmp >/tmp/short.txt 2>&1 & sleep 1
ip netns exec n1 ping -c 1 -W 1 10.9.0.3
sleep 3; cat /tmp/short.txt
