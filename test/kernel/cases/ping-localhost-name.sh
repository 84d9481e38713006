# ping of a target typed as a name looks reply sources up in /etc/hosts: replies from 127.0.0.1
# print as "localhost (127.0.0.1)", and a numeric target prints the address alone.
ip netns add a
ip netns exec a ping -c 1 -W 1 localhost
ip -n a link set lo up
ip netns exec a ping -c 1 localhost
ping -c 1 -W 1 localhost
ping -c 1 -W 1 127.0.0.1
ping -c 1 -W 1 -n localhost
ping -4 -c 1 -W 1 LOCALHOST
