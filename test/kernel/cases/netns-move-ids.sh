# Moving a link out of a namespace gives that namespace an id for the target, so the host lists
# ids for both a and b. ls shows the namespaces' files in /run/netns.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip -n a link set va up
ip -n b link set vb up
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip netns list
ls /var/run/netns
ls /run/netns/
ip netns exec a ip netns list
