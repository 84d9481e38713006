# nc -l -p PORT listens on PORT (Debian's netcat-openbsd), and a capture prints a datagram to
# the discard port (9, no decoder in tcpdump) as plain UDP.
mount -t tmpfs tmpfs /tmp
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip netns exec a ip addr add 10.0.0.1/24 dev va
ip netns exec b ip addr add 10.0.0.2/24 dev vb
ip netns exec a ip link set va up
ip netns exec b ip link set vb up
ip netns exec a ping -c 1 -W 1 10.0.0.2 >/dev/null
ip netns exec b timeout 3 tcpdump -l -n -c 1 -i vb udp >/tmp/p 2>&1 & echo $! >/tmp/p.pid; sleep 0.5
echo hi | ip netns exec a nc -u -w 1 10.0.0.2 9
tail -s 0.2 --pid=$(cat /tmp/p.pid) -f /dev/null; cat /tmp/p
ip netns exec b timeout 3 nc -l -p 81 >/tmp/g 2>&1 & sleep 0.5
echo three | ip netns exec a nc -N -w 1 10.0.0.2 81
sleep 0.3; cat /tmp/g
