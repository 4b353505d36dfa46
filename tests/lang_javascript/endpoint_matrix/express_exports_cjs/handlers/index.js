module.exports = {
  tagsApi: require('./tags'),
  fetchFile: require('./download'),
};
