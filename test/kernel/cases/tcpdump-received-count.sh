# tcpdump -c N stops after N packets; "received by filter" also counts matching packets that
# were already queued when it stopped.
mount -t tmpfs tmpfs /tmp
ip netns add c
ip netns add s
ip link add c0 type veth peer name s0 netns s
ip link set c0 netns c
ip netns exec c ip addr add 10.0.1.2/24 dev c0
ip netns exec s ip addr add 10.0.1.3/24 dev s0
ip netns exec c ip link set c0 up
ip netns exec s ip link set s0 up
ip netns exec c ping -c 1 -W 1 10.0.1.3
ip netns exec c timeout 3 tcpdump -l -n -c 1 -i c0 icmp >/tmp/a.txt 2>&1 & sleep 1
ip netns exec c ping -c 1 -W 1 10.0.1.3
sleep 3; cat /tmp/a.txt
ip netns exec c timeout 3 tcpdump -l -n -c 2 -i c0 icmp >/tmp/b.txt 2>&1 & sleep 1
ip netns exec c traceroute -n -q 1 -w 1 -m 4 -I 10.0.1.3
sleep 3; cat /tmp/b.txt
ip netns exec c timeout 3 tcpdump -l -n -c 2 -i c0 udp >/tmp/d.txt 2>&1 & sleep 1
ip netns exec c traceroute -n -q 1 -w 1 -m 4 10.0.1.3
sleep 3; cat /tmp/d.txt
