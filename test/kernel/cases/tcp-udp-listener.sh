# nc -u: a UDP listener takes its first datagram and then only its sender's; datagrams to a
# closed port and from other ports get port unreachable, which nc -u ignores (exit 0); a
# datagram OUTPUT drops fails silently without -v. Namespaces a (10.0.0.1), b (10.0.0.2).
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
ip netns exec b timeout 3 nc -u -l 5353 >/tmp/u.txt 2>&1 & sleep 0.5
echo one | ip netns exec a nc -u -w 1 10.0.0.2 5353
echo two | ip netns exec a nc -u -w 1 10.0.0.2 5353
echo three | ip netns exec a nc -u -w 1 -p 4000 10.0.0.2 5353
echo four | ip netns exec a nc -u -w 1 10.0.0.2 53
sleep 1; cat /tmp/u.txt
ip netns exec b nstat -az UdpInDatagrams UdpNoPorts IcmpOutDestUnreachs
ip netns exec a nstat -az UdpOutDatagrams IcmpInDestUnreachs
ip netns exec a iptables -P OUTPUT DROP
echo hi | ip netns exec a nc -u -w 1 10.0.0.2 53
ip netns exec a nstat -az UdpOutDatagrams
