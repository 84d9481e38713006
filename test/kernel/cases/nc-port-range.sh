# nc -z with a port range tries each port in turn; it exits 0 when any connect succeeded.
ip netns add a
ip netns add b
ip link add va type veth peer name vb
ip link set va netns a
ip link set vb netns b
ip netns exec a ip addr add 10.0.0.1/24 dev va
ip netns exec b ip addr add 10.0.0.2/24 dev vb
ip netns exec a ip link set va up
ip netns exec b ip link set vb up
ip netns exec a nc -z -v -w 1 10.0.0.2 8080-8082
ip netns exec b timeout 5 nc -l -k 8081 >/dev/null 2>&1 & sleep 0.5
ip netns exec a nc -z -v -w 1 10.0.0.2 8080-8082
ip netns exec a nc -z -v -w 1 10.0.0.2 8082-8080
ip netns exec a nc -z -w 1 10.0.0.2 8080-8081
ip netns exec b iptables -A INPUT -p tcp --dport 8082 -j DROP
ip netns exec a nc -z -v -w 1 10.0.0.2 8081-8082
ip netns exec a nc -z -v -w 1 10.0.0.2 8083-0
