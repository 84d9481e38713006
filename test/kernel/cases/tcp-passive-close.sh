# nc -z against an nc -l -k listener, captured with tcpdump. A FIN puts the listener's socket
# in pingpong mode, so its ACK of the client's FIN waits and leaves with its own FIN. A
# connection without data takes six packets, with and without -v.
mount -t tmpfs tmpfs /tmp
ip netns add c
ip netns add s
ip link add c0 type veth peer name s0
ip link set c0 netns c
ip link set s0 netns s
ip -n c addr add 10.1.0.2/24 dev c0
ip -n s addr add 10.1.0.3/24 dev s0
ip -n c link set c0 up
ip -n s link set s0 up
ip netns exec s timeout 8 nc -l -k 80 >/dev/null 2>&1 &
ip netns exec c ping -c 1 -W 1 10.1.0.3
ip netns exec c timeout 3 tcpdump -l -n -i c0 tcp >/tmp/cap.txt 2>&1 & sleep 1
ip netns exec c nc -z -w 1 10.1.0.3 80
ip netns exec c nc -z -v -w 1 10.1.0.3 80
sleep 4; cat /tmp/cap.txt
