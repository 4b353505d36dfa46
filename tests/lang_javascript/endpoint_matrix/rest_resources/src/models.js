const { Sequelize, DataTypes } = require('sequelize');

const sequelize = new Sequelize(process.env.DATABASE_URL);
const User = sequelize.define('User', { email: DataTypes.STRING, password: DataTypes.STRING });
const Product = sequelize.define('Product', { name: DataTypes.STRING });
const Feedback = sequelize.define('Feedback', { comment: DataTypes.STRING, rating: DataTypes.INTEGER });

module.exports = { sequelize, User, Product, Feedback };
