# netcat-openbsd sets SO_REUSEPORT on a listening socket, so a second nc -l binds where another
# nc listens, and waits.
ip netns add a
ip -n a link set lo up
ip netns exec a nc -l 80 & sleep 0.2
ip netns exec a timeout 1 nc -l 80
echo "rc=$?"
ip netns exec a nc -z -v -w 1 127.0.0.1 80
ip netns exec a timeout 1 nc -l 81
echo "rc=$?"
